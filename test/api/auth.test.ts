import test from 'ava';
import { hashPassword, seedAdmin } from '../../contract/src/tenant-db/index.ts';
import { eventually } from '../harness/eventually.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { call, createWorld, hostOf, RESYNC_OUTSIDE_JUMPS, type World } from './fixtures.ts';
import { openSchool } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('login: the seeded admin logs in and must change the password; hashes are never returned', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const email = `admin@${tenant.subdomain}.example.edu`;
  const db = world.mongo[world.clusters.indexOf(tenant.cluster ?? '')]?.db(tenant.database ?? '');
  if (!db) throw new Error('no tenant database');
  await seedAdmin(db, { email, password: 'initial-admin-password' });
  const login = (password: string) =>
    call(api.url, 'POST', '/v1/auth/login', { host: hostOf(tenant), body: { email, password } });
  const as = (token: string) => (method: string, path: string, body?: unknown) =>
    call(api.url, method, path, { host: hostOf(tenant), token, ...(body ? { body } : {}) });

  const first = await login('initial-admin-password');
  t.is(first.status, 200);
  t.true(first.body.mustChangePassword);
  const me = await as(first.body.accessToken)('GET', '/v1/me');
  t.is(me.status, 200);
  t.like(me.body, { role: 'admin', mustChangePassword: true, email });
  t.false(JSON.stringify(me.body).includes('scrypt'));
  t.is((await as(first.body.accessToken)('GET', '/v1/users')).body.code, 'password-change-required');
  const stored = await db.collection('accounts').findOne({});
  t.regex(String(stored?.passwordHash), /^scrypt\$N=\d+,r=\d+,p=\d+\$/);

  const changed = await as(first.body.accessToken)('POST', '/v1/me/password', {
    currentPassword: 'initial-admin-password',
    newPassword: 'a-much-better-password',
  });
  t.is(changed.status, 204);
  // Tokens issued before the change stop working; the new password works at once.
  t.is((await as(first.body.accessToken)('GET', '/v1/me')).status, 401);
  const again = await login('a-much-better-password');
  t.is(again.status, 200);
  t.false(again.body.mustChangePassword);
  const list = await as(again.body.accessToken)('GET', '/v1/users');
  t.is(list.status, 200);
  t.false(JSON.stringify(list.body).includes('passwordHash'));
  t.false(api.logs.text.includes('a-much-better-password'), 'passwords never reach the logs');
});

test('an admin an older operator seeded (no status, no version) logs in and reads as active, at version 1', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const db = world.mongo[world.clusters.indexOf(tenant.cluster ?? '')]?.db(tenant.database ?? '');
  const email = `legacy@${tenant.subdomain}.example.edu`;
  const at = new Date('2026-01-05T08:00:00Z');
  await db?.collection('accounts').insertOne({
    _id: 'admin-legacy' as never,
    email,
    displayName: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword('legacy-password'),
    // Changed long ago (by the API of the time, which left status and version alone).
    mustChangePassword: false,
    createdAt: at,
    updatedAt: at,
  });
  const login = await call(api.url, 'POST', '/v1/auth/login', {
    host: hostOf(tenant),
    body: { email, password: 'legacy-password' },
  });
  t.is(login.status, 200, JSON.stringify(login.body));
  t.like(login.body.user, { id: 'admin-legacy', status: 'active', version: 1 });
  const token = login.body.accessToken;
  const me = await call(api.url, 'GET', '/v1/me', { host: hostOf(tenant), token });
  t.like(me.body, { status: 'active', version: 1 });
  t.is(me.headers.etag, '"1"');
  const active = await call(api.url, 'GET', '/v1/users?status=active', { host: hostOf(tenant), token });
  t.deepEqual(
    active.body.items.map((u: { id: string; status: string; version: number }) => [
      u.id,
      u.status,
      u.version,
    ]),
    [['admin-legacy', 'active', 1]],
  );
});

test('wrong passwords are 401 and, past the limit, the account is throttled for that address with 429 even for the right one', async (t) => {
  const api = await world.startApi({ LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '3', LOGIN_WINDOW_S: '60' });
  const school = await openSchool(world, api);
  const student = await school.person('student');
  for (let i = 0; i < 3; i++) {
    const reply = await school.login(student.email, 'wrong-password');
    t.is(reply.status, 401);
    t.is(reply.body.code, 'invalid-credentials');
  }
  const throttled = await school.login(student.email, student.password);
  t.is(throttled.status, 429);
  t.is(throttled.body.code, 'login-throttled');
  t.true(Number(throttled.headers['retry-after']) > 0);
  // Unknown accounts get the same answer as wrong passwords.
  const unknown = await school.login('nobody@example.edu', 'whatever');
  t.is(unknown.status, 401);
  t.is(unknown.body.code, 'invalid-credentials');
});

test('refresh rotates; reusing a rotated token revokes the family; logout revokes', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const refresh = (refreshToken: string) =>
    call(api.url, 'POST', '/v1/auth/refresh', { host: hostOf(school.tenant), body: { refreshToken } });

  const first = await refresh(teacher.refreshToken);
  t.is(first.status, 200);
  t.not(first.body.refreshToken, teacher.refreshToken);
  t.is((await school.as(first.body.accessToken)('GET', '/v1/me')).status, 200);

  // The old token replayed: refused, and the whole family (including the new token) is revoked.
  const replay = await refresh(teacher.refreshToken);
  t.is(replay.status, 401);
  t.is(replay.body.code, 'refresh-token-invalid');
  t.is((await refresh(first.body.refreshToken)).status, 401);

  // Stored hashed: the raw token is nowhere in the database.
  const raw = JSON.stringify(
    await world.mongo[0]
      ?.db(school.tenant.database ?? '')
      .collection('refresh_tokens')
      .find()
      .toArray(),
  );
  t.false(raw.includes(first.body.refreshToken));

  const session = await school.login(teacher.email, teacher.password);
  const logout = await call(api.url, 'POST', '/v1/auth/logout', {
    host: hostOf(school.tenant),
    body: { refreshToken: session.body.refreshToken },
  });
  t.is(logout.status, 204);
  t.is((await refresh(session.body.refreshToken)).status, 401);
});

test('deactivating a user ends their tokens on every pod', async (t) => {
  const [pod1, pod2] = [await world.startApi(), await world.startApi()];
  const school = await openSchool(world, pod1);
  const student = await school.person('student');
  t.is((await school.as(student)('GET', '/v1/me')).status, 200);

  const current = await school.as(school.admin)('GET', `/v1/users/${student.id}`);
  const deactivated = await school.as(school.admin)(
    'PATCH',
    `/v1/users/${student.id}`,
    { status: 'deactivated' },
    { 'if-match': String(current.headers.etag) },
  );
  t.is(deactivated.status, 200);
  // On the pod that served the change at once; on the other as the revocation message arrives.
  const me = (pod: { url: string }) =>
    call(pod.url, 'GET', '/v1/me', { host: hostOf(school.tenant), token: student.token });
  t.is((await me(pod1)).status, 401);
  const sent = performance.now();
  const elsewhere = await eventually(
    'the token is refused on the other pod too',
    () => me(pod2),
    (reply) => reply.status === 401,
  );
  t.log(`refused on the other pod after ${Math.round(performance.now() - sent)} ms`);
  t.is(elsewhere.body.code, 'invalid-token');
  // A deactivated account cannot tell its right password from a wrong one, nor refresh.
  const login = await school.login(student.email, student.password);
  t.is(login.status, 401);
  t.is(login.body.code, 'invalid-credentials');
  const refresh = await call(pod1.url, 'POST', '/v1/auth/refresh', {
    host: hostOf(school.tenant),
    body: { refreshToken: student.refreshToken },
  });
  t.is(refresh.status, 401);
  t.is(refresh.body.code, 'refresh-token-invalid');
});

test("a login clears the account's expired refresh tokens and leaves live ones and other accounts' alone", async (t) => {
  const clock = new ManualClock();
  const api = await world.startApi({ ...RESYNC_OUTSIDE_JUMPS, REFRESH_TOKEN_TTL_S: '3600' }, { clock });
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const student = await school.person('student');
  const tokens = world.mongo[world.clusters.indexOf(school.tenant.cluster ?? '')]
    ?.db(school.tenant.database ?? '')
    .collection('refresh_tokens');
  const countOf = (accountId: string) => tokens?.countDocuments({ accountId }) ?? Promise.resolve(-1);
  await school.login(teacher.email, teacher.password);
  t.is(await countOf(teacher.id), 2, 'two live sessions');

  // Two hours later: both sessions have expired; the next login removes them, not the student's.
  clock.advance(2 * 3_600_000);
  const later = await school.login(teacher.email, teacher.password);
  t.is(later.status, 200);
  t.is(await countOf(teacher.id), 1, 'only the new session is left');
  t.is(await countOf(student.id), 1, "another account's tokens are untouched");
  const stale = await call(api.url, 'POST', '/v1/auth/refresh', {
    host: hostOf(school.tenant),
    body: { refreshToken: teacher.refreshToken },
  });
  t.is(stale.status, 401);
});

test('a roster import creates the new accounts with initial passwords, leaves existing ones, and can be repeated', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const asAdmin = school.as(school.admin);
  const roster = {
    users: [
      { email: 'Ada@Example.edu', displayName: 'Ada', role: 'student' },
      { email: teacher.email, role: 'teacher' },
      { email: 'grace@example.edu', displayName: 'Grace', role: 'teacher' },
    ],
  };
  const first = await asAdmin('POST', '/v1/users/import', roster);
  t.is(first.status, 200, JSON.stringify(first.body));
  t.is(first.headers['cache-control'], 'no-store');
  t.like(first.body, { created: 2, existing: 1 });
  t.deepEqual(
    first.body.results.map((r: { email: string; outcome: string }) => `${r.email} ${r.outcome}`),
    ['ada@example.edu created', `${teacher.email.toLowerCase()} exists`, 'grace@example.edu created'],
  );
  const ada = first.body.results[0];
  t.like(ada.user, { email: 'ada@example.edu', role: 'student', mustChangePassword: true });
  const login = await school.login('ada@example.edu', ada.initialPassword);
  t.is(login.status, 200);
  t.true(login.body.mustChangePassword);
  t.is(first.body.results[1].initialPassword, undefined, 'an existing account is not touched');

  // Repeated: nothing new, nothing changed.
  const again = await asAdmin('POST', '/v1/users/import', roster);
  t.like(again.body, { created: 0, existing: 3 });
  t.is((await school.login('ada@example.edu', ada.initialPassword)).status, 200);

  // Bad rows, or the same e-mail twice: 422 naming the rows, and nothing is written.
  const bad = await asAdmin('POST', '/v1/users/import', {
    users: [
      { email: 'new1@example.edu', role: 'student' },
      { email: 'not-an-email', role: 'student' },
      { email: 'new2@example.edu', role: 'janitor' },
    ],
  });
  t.is(bad.status, 422);
  t.deepEqual(bad.body.issues.map((i: { path: string[] }) => i.path.join('.')).sort(), [
    'body.users.1.email',
    'body.users.2.role',
  ]);
  const twice = await asAdmin('POST', '/v1/users/import', {
    users: [
      { email: 'new1@example.edu', role: 'student' },
      { email: 'NEW1@example.edu', role: 'teacher' },
    ],
  });
  t.is(twice.status, 422);
  t.deepEqual(
    twice.body.issues.map((i: { path: string[] }) => i.path.join('.')),
    ['body.users.1.email'],
  );
  const listed = await asAdmin('GET', '/v1/users?limit=100');
  t.false(
    listed.body.items.some((u: { email: string }) => u.email.startsWith('new')),
    'nothing from the refused import',
  );
});
