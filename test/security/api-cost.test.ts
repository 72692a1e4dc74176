import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import test from 'ava';
import mongoose from 'mongoose';
import type { RunningApi } from '../../api/src/app/server.ts';
import { hashPassword } from '../../contract/src/tenant-db/index.ts';
import {
  accountSnapshot,
  call,
  createWorld,
  hostOf,
  openSchool,
  type School,
  tenantDb,
  type World,
} from './api-fixtures.ts';

// Attacks on the pod's memory, CPU and on other clients' quota, by clients with nothing (or
// little) to lose: no token, a forged one, random tenant names, a student's account.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A well-formed JWT that names `tenantId` and carries `padding` bytes, with a signature nobody made. */
function forgedToken(tenantId: string, padding: number): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = b64({ alg: 'HS256', kid: `${tenantId}-1`, typ: 'at+jwt' });
  const payload = b64({
    tid: tenantId,
    sub: 'x',
    pad: randomBytes(Math.ceil(padding * 0.75)).toString('base64url'),
  });
  return `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
}

async function inBatches<T>(
  count: number,
  concurrency: number,
  send: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += concurrency) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, j) => send(i + j)))),
    );
  }
  return out;
}

/** Tenant look-ups that went all the way to the registry, by the pod's own count. */
async function registryReads(api: Pick<RunningApi, 'metrics'>): Promise<number> {
  const lookups = await api.metrics.cacheLookups.get();
  return lookups.values.find((v) => v.labels.layer === 'registry')?.value ?? 0;
}

test.serial(
  'thousands of distinct unverifiable tokens buy no memory: nothing unverified is cached',
  async (t) => {
    const api = await world.startApi({ RATE_LIMITS: '{}' });
    const school = await openSchool(world, api);
    const victim = await school.person('teacher');
    t.is((await school.as(victim)('GET', '/v1/me')).status, 200);
    const held = api.tokens.entries;

    const before = heapAfterGc();
    // 3,000 tokens of ~12 KB each, all naming the victim's tenant, none verifiable: ~36 MB if kept.
    const replies = await inBatches(3_000, 25, () =>
      call(api.url, 'GET', '/v1/me', {
        host: hostOf(school.tenant),
        token: forgedToken(school.tenant.tenantId, 12_000),
      }),
    );
    t.true(replies.every((r) => r.status === 401));
    t.is(replies[0]?.body.code, 'invalid-token');
    const grown = heapAfterGc() - before;
    t.log(`heap grew ${(grown / 1048576).toFixed(1)} MiB`);
    t.true(grown < 12 * 1048576, `heap grew ${(grown / 1048576).toFixed(1)} MiB after 3,000 forged tokens`);

    // And below the header cap too: forged tokens of 3 KB are verified, failed, and never cached.
    await inBatches(1_000, 25, () =>
      call(api.url, 'GET', '/v1/me', {
        host: hostOf(school.tenant),
        token: forgedToken(school.tenant.tenantId, 3_000),
      }),
    );
    t.is(api.tokens.entries, held, 'the cache holds the tokens it held, and no forged one');
    t.true(api.tokens.bytes <= api.tokens.maxBytes);
    // The victim: still served, from the cache.
    t.is((await school.as(victim)('GET', '/v1/me')).status, 200);
  },
);

test('an oversized bearer token is refused before anything is looked up', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const reads = await registryReads(school.api);
  const reply = await call(api.url, 'GET', '/v1/me', { token: forgedToken('ghost-tenant-xyz', 5_000) });
  t.is(reply.status, 401);
  t.is(reply.body.code, 'invalid-token');
  t.is(await registryReads(school.api), reads, 'the tenant it names was not even looked up');
});

test('verified tokens are cached within a byte budget', async (t) => {
  const api = await world.startApi({ TOKEN_CACHE_MAX_BYTES: '65536', RATE_LIMITS: '{}' });
  const tenant = await world.tenant();
  await inBatches(1_000, 25, async (i) => {
    const token = await world.token(tenant, ['student'], `user-${i}`);
    return call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant), token });
  });
  t.true(api.tokens.bytes <= 65_536, `${api.tokens.bytes} bytes`);
  t.true(api.tokens.entries > 10 && api.tokens.entries < 1_000, `${api.tokens.entries} entries`);
});

test('a flood of random tenant names evicts no real tenant and is cut off per client address', async (t) => {
  const api = await world.startApi({
    TRUST_PROXY_HOPS: '1',
    TENANT_CACHE_MAX: '20',
    TENANT_LOOKUPS_PER_ADDRESS: '50',
    // Budgets are per fixed window: one long window keeps the flood from straddling two.
    TENANT_LOOKUP_WINDOW_MS: '3600000',
    RATE_LIMITS: '{}',
  });
  const victim = await world.tenant();
  const asVictim = () =>
    call(api.url, 'GET', '/v1/tenant', {
      host: hostOf(victim),
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
  t.is((await asVictim()).status, 200);
  t.true(api.directory.holds({ subdomain: victim.subdomain }));

  const reads = await registryReads(api);
  const flood = await inBatches(300, 10, (i) =>
    call(api.url, 'GET', '/v1/tenant', {
      host: hostOf(`nope-${i}-${randomBytes(4).toString('hex')}`),
      headers: { 'x-forwarded-for': '203.0.113.9' },
    }),
  );
  t.true(api.directory.holds({ subdomain: victim.subdomain }), 'the real tenant is still in memory');
  const statuses = new Set(flood.map((r) => r.status));
  t.deepEqual([...statuses].sort(), [404, 429]);
  t.true(flood.filter((r) => r.status === 404).length <= 50);
  t.is(flood.find((r) => r.status === 429)?.body.code, 'tenant-lookups-throttled');
  t.true((await registryReads(api)) - reads <= 50, 'the registry saw at most the limit');
  const reply = await asVictim();
  t.is(reply.status, 200);
  t.is(reply.body.id, victim.tenantId);
});

test('anonymous login traffic does not spend the quota of signed-in users', async (t) => {
  const api = await world.startApi({ RATE_LIMITS: '{"standard":40}' });
  const school = await openSchool(world, api);
  const victim = await school.person('student');
  // Anonymous logins with wrong passwords (and then refused ones), until the tenant would be out.
  for (let i = 0; i < 60; i++) await school.login(`spray${i}@example.edu`, 'password1');
  const me = await school.as(victim)('GET', '/v1/me');
  t.is(me.status, 200, JSON.stringify(me.body));
  // The login budget itself is limited.
  const login = await school.login(victim.email, victim.password);
  t.is(login.status, 429);
  t.is(login.body.code, 'rate-limited');
});

test('a password hash with parameters outside the allow-list is never computed', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const victim = await school.person('teacher');
  const db = tenantDb(world, school.tenant);
  // Someone with write access to the tenant database sets a costlier hash (of the right password).
  await db
    .collection('accounts')
    .updateOne(
      { _id: victim.id as never },
      { $set: { passwordHash: await hashPassword(victim.password, { N: 2 ** 17, r: 8, p: 1 }) } },
    );
  const before = await accountSnapshot(db, victim.id);
  const reply = await school.login(victim.email, victim.password);
  t.is(reply.status, 401, 'the hash is refused, not derived with 128 MiB');
  t.is(reply.body.code, 'invalid-credentials');
  t.deepEqual(await accountSnapshot(db, victim.id), before);
});

async function courseWithAssignment(school: School) {
  const teacher = await school.person('teacher');
  const course = await school.as(teacher)('POST', '/v1/courses', { title: 'Cost', code: `C${Date.now()}` });
  const courseUrl = `/v1/courses/${course.body.id}`;
  const assignment = await school.as(teacher)('POST', `${courseUrl}/assignments`, {
    title: 'Unlimited attempts',
    pointsPossible: 10,
    published: true,
  });
  return { teacher, courseUrl, submissionsUrl: `${courseUrl}/assignments/${assignment.body.id}/submissions` };
}

test('a student cannot submit without end: attempts per assignment are capped', async (t) => {
  const api = await world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  const { teacher, courseUrl, submissionsUrl } = await courseWithAssignment(school);
  const [attacker, classmate] = [await school.person('student'), await school.person('student')];
  for (const s of [attacker, classmate]) {
    await school.as(teacher)('POST', `${courseUrl}/enrollments`, { userId: s.id, role: 'student' });
  }
  t.is((await school.as(classmate)('POST', submissionsUrl, { body: 'mine' })).status, 201);
  const replies = [];
  for (let i = 0; i < 103; i++)
    replies.push(await school.as(attacker)('POST', submissionsUrl, { body: 'x'.repeat(1000) }));
  t.is(replies.filter((r) => r.status === 201).length, 100);
  const refused = replies.at(-1);
  t.is(refused?.status, 422);
  t.is(refused?.body.code, 'attempt-limit-reached');
  const stored = await tenantDb(world, school.tenant)
    .collection('submissions')
    .countDocuments({ accountId: attacker.id });
  t.is(stored, 100);
  const own = await school.as(classmate)('GET', submissionsUrl);
  t.deepEqual(
    own.body.items.map((s: { body: string }) => s.body),
    ['mine'],
    "the classmate's work is untouched",
  );
});

test.serial('the gradebook is read in pages of students, without loading submission bodies', async (t) => {
  const api = await world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  const { teacher, courseUrl, submissionsUrl } = await courseWithAssignment(school);
  const students = [];
  for (let i = 0; i < 4; i++) students.push(await school.person('student'));
  for (const s of students) {
    await school.as(teacher)('POST', `${courseUrl}/enrollments`, { userId: s.id, role: 'student' });
    // Large bodies: what an unbounded load would pull into the pod for every gradebook view.
    for (let a = 0; a < 3; a++) await school.as(s)('POST', submissionsUrl, { body: 'y'.repeat(90_000) });
  }

  const reads: Array<{ collection: string; method: string; args: string }> = [];
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    reads.push({ collection, method, args: JSON.stringify(args) });
  });
  let first: Awaited<ReturnType<ReturnType<School['as']>>>;
  try {
    first = await school.as(teacher)('GET', `${courseUrl}/gradebook?limit=3`);
  } finally {
    mongoose.set('debug', false);
  }
  t.is(first.status, 200);
  t.is(first.body.students.length, 3);
  t.regex(String(first.headers.link), /rel="next"/);
  t.like(first.body.students[0].grades[0], { workflowState: 'submitted' });
  const submissionReads = reads.filter(
    (r) => r.collection === 'submissions' && ['find', 'findOne', 'aggregate'].includes(r.method),
  );
  t.true(submissionReads.length > 0);
  for (const read of submissionReads) {
    // Projected in the database to the fields a gradebook shows: never the bodies.
    t.regex(read.args, /"workflowState":1/, `${read.method} ${read.args}`);
    t.notRegex(read.args, /"body":1/);
    t.regex(read.args, /"supersededAt":null/, 'only the attempt that counts');
  }
  const next = String(first.headers.link).match(/<([^>]+)>; rel="next"/)?.[1] ?? '';
  const second = await school.as(teacher)('GET', next);
  t.is(second.body.students.length, 1);
  t.deepEqual(
    [...first.body.students, ...second.body.students].map((s: { userId: string }) => s.userId).sort(),
    students.map((s) => s.id).sort(),
  );
});
