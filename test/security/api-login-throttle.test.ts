import test from 'ava';
import { call, createWorld, hostOf, openSchool, type School, type World } from './api-fixtures.ts';

// Attacks on the login throttle: a burst of parallel guesses, and a flood meant to lock others out.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

/** A login as it arrives through an ingress that appends the client's address to X-Forwarded-For. */
const loginFrom = (school: School, address: string, email: string, password: string) =>
  call(school.api.url, 'POST', '/v1/auth/login', {
    host: hostOf(school.tenant),
    headers: { 'x-forwarded-for': address },
    body: { email, password },
  });

test('a burst of parallel guesses gets no more than the limit to the password check, the right one included', async (t) => {
  const api = await world.startApi({ LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '5', LOGIN_WINDOW_S: '600' });
  const school = await openSchool(world, api);
  const victim = await school.person('student');
  // 40 guesses at once; the 30th is the right password.
  const guesses = Array.from({ length: 40 }, (_, i) => (i === 29 ? victim.password : `guess-${i}`));
  const replies = await Promise.all(guesses.map((g) => school.login(victim.email, g)));
  const checked = replies.filter((r) => r.status !== 429);
  t.true(
    checked.length <= 5,
    `${checked.length} guesses reached the password check: ${replies.map((r) => r.status).join(' ')}`,
  );
  t.false(
    replies.some((r) => r.body.accessToken),
    'the right password inside the burst does not log the attacker in',
  );
  const throttled = replies.find((r) => r.status === 429);
  t.is(throttled?.body.code, 'login-throttled');
  t.true(Number(throttled?.headers['retry-after']) > 0);
});

test('behind an ingress, one client flooding logins locks out neither the tenant, nor the victim account, nor other clients', async (t) => {
  const api = await world.startApi({
    TRUST_PROXY_HOPS: '1',
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '5',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '20',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '50',
    LOGIN_WINDOW_S: '600',
  });
  const school = await openSchool(world, api);
  const victim = await school.person('teacher');
  const bystander = await school.person('student');
  const attacker = '203.0.113.66';

  // The attacker guesses the victim's password, then sprays other accounts, from one address,
  // and rotates a spoofed X-Forwarded-For in front of the ingress's own entry.
  for (let i = 0; i < 30; i++) {
    await loginFrom(school, `10.0.${i}.1, ${attacker}`, victim.email, `guess-${i}`);
  }
  for (let i = 0; i < 30; i++) {
    await loginFrom(school, attacker, `someone${i}@${school.tenant.subdomain}.example.edu`, 'password1');
  }
  const locked = await loginFrom(school, attacker, bystander.email, bystander.password);
  t.is(locked.status, 429, 'the flooding address is throttled, spoofed headers or not');

  // The victim and everyone else, from their own addresses: unaffected.
  const own = await loginFrom(school, '198.51.100.7', victim.email, victim.password);
  t.is(own.status, 200, JSON.stringify(own.body));
  const other = await loginFrom(school, '198.51.100.8', bystander.email, bystander.password);
  t.is(other.status, 200, JSON.stringify(other.body));
  t.is((await school.as(own.body.accessToken)('GET', '/v1/me')).status, 200);
});

test('without trusted proxies, X-Forwarded-For is ignored: rotating it does not escape the limit', async (t) => {
  const api = await world.startApi({ LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '3', LOGIN_WINDOW_S: '600' });
  const school = await openSchool(world, api);
  const victim = await school.person('student');
  const replies = [];
  for (let i = 0; i < 8; i++)
    replies.push(await loginFrom(school, `192.0.2.${i}`, victim.email, `guess-${i}`));
  t.deepEqual(
    replies.map((r) => r.status),
    [401, 401, 401, 429, 429, 429, 429, 429],
  );
});

test('only many addresses together reach the per-account limit', async (t) => {
  const api = await world.startApi({
    TRUST_PROXY_HOPS: '1',
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '2',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '6',
    LOGIN_WINDOW_S: '600',
  });
  const school = await openSchool(world, api);
  const victim = await school.person('student');
  // One address alone stops at 2 failures, far from 6.
  for (let i = 0; i < 10; i++) await loginFrom(school, '203.0.113.1', victim.email, 'wrong');
  t.is((await loginFrom(school, '198.51.100.1', victim.email, victim.password)).status, 200);
  // Three more addresses, two failures each: 6 in all, and the account is throttled for a while.
  for (const address of ['203.0.113.2', '203.0.113.3', '203.0.113.4']) {
    for (let i = 0; i < 2; i++) await loginFrom(school, address, victim.email, 'wrong');
  }
  const throttled = await loginFrom(school, '198.51.100.2', victim.email, victim.password);
  t.is(throttled.status, 429);
});
