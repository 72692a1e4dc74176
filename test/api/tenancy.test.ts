import test from 'ava';
import type { MongoClient } from 'mongodb';
import { eventually } from '../harness/eventually.ts';
import { call, createWorld, hostOf, type World } from './fixtures.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('a tenant resolves by subdomain, by X-Tenant-ID and by its token alone', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const token = await world.token(tenant);
  const expected = {
    id: tenant.tenantId,
    subdomain: tenant.subdomain,
    displayName: tenant.displayName,
    plan: 'standard',
  };
  for (const options of [
    { host: hostOf(tenant) },
    { headers: { 'x-tenant-id': tenant.tenantId } },
    { token },
    { host: hostOf(tenant), headers: { 'x-tenant-id': tenant.tenantId }, token },
  ]) {
    const reply = await call(api.url, 'GET', '/v1/tenant', options);
    t.is(reply.status, 200, JSON.stringify(options));
    t.deepEqual(reply.body, expected);
  }
});

test('sources that disagree are refused with a clear code', async (t) => {
  const api = await world.startApi();
  const [a, b] = [await world.tenant(), await world.tenant()];
  const tokenA = await world.token(a);

  const hostVsHeader = await call(api.url, 'GET', '/v1/tenant', {
    host: hostOf(a),
    headers: { 'x-tenant-id': b.tenantId },
  });
  t.is(hostVsHeader.status, 400);
  t.is(hostVsHeader.body.code, 'tenant-mismatch');
  t.is(hostVsHeader.headers['content-type'], 'application/problem+json');
  t.is(hostVsHeader.body.type, 'https://atrium.dev/problems/tenant-mismatch');

  // A token of tenant A is refused at B, whatever the host or header says.
  for (const options of [{ host: hostOf(b) }, { headers: { 'x-tenant-id': b.tenantId } }]) {
    const reply = await call(api.url, 'GET', '/v1/courses', { ...options, token: tokenA });
    t.is(reply.status, 401, JSON.stringify(options));
    t.is(reply.body.code, 'token-tenant-mismatch');
  }
  // A forged token claiming B but signed with A's key fails verification with B's key.
  const forged = await world.token({ ...a, tenantId: b.tenantId, signingKeys: a.signingKeys });
  const reply = await call(api.url, 'GET', '/v1/courses', { host: hostOf(b), token: forged });
  t.is(reply.status, 401);
  t.is(reply.body.code, 'token-tenant-mismatch');
});

test('no tenant, an unknown tenant and a malformed header each get their own problem', async (t) => {
  const api = await world.startApi();
  const none = await call(api.url, 'GET', '/v1/tenant');
  t.is(none.status, 400);
  t.is(none.body.code, 'tenant-required');

  const bySubdomain = await call(api.url, 'GET', '/v1/tenant', { host: hostOf('nobody-here') });
  const byHeader = await call(api.url, 'GET', '/v1/tenant', { headers: { 'x-tenant-id': 'nobody-here' } });
  t.is(bySubdomain.status, 404);
  t.is(byHeader.status, 404);
  // The same answer whichever source named the unknown tenant (the instance differs per request).
  t.deepEqual({ ...bySubdomain.body, instance: undefined }, { ...byHeader.body, instance: undefined });
  t.is(bySubdomain.body.code, 'tenant-not-found');

  const malformed = await call(api.url, 'GET', '/v1/tenant', { headers: { 'x-tenant-id': 'Not/A/Label' } });
  t.is(malformed.status, 400);
  t.is(malformed.body.code, 'malformed-request');
});

test('the status gate: provisioning and moving 503 with Retry-After, suspended 403, deleting 404, deleted 410', async (t) => {
  const api = await world.startApi({ PROVISIONING_RETRY_AFTER_S: '7' });
  const cases = [
    ['provisioning', 503, 'tenant-provisioning'],
    ['moving', 503, 'tenant-moving'],
    ['suspended', 403, 'tenant-suspended'],
    ['deleting', 404, 'tenant-not-found'],
    ['deleted', 410, 'tenant-gone'],
  ] as const;
  for (const [status, http, code] of cases) {
    const tenant = await world.tenant({ status });
    const reply = await call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) });
    t.is(reply.status, http, status);
    t.is(reply.body.code, code, status);
    if (status === 'provisioning' || status === 'moving') t.is(reply.headers['retry-after'], '7', status);
  }
});

test('an invalidation reaches every pod within a second, without waiting for the cache TTL', async (t) => {
  const env = { TENANT_CACHE_TTL_MS: '600000', TENANT_REDIS_TTL_MS: '600000' };
  const [pod1, pod2] = [await world.startApi(env), await world.startApi(env)];
  const tenant = await world.tenant();
  for (const pod of [pod1, pod2])
    t.is((await call(pod.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);

  for (const pod of [pod1, pod2]) t.true(pod.directory.holds({ subdomain: tenant.subdomain }));
  const suspended = await world.registry.setStatus(tenant.tenantId, 'suspended', 2);
  await world.invalidate(suspended);
  const started = Date.now();
  // Every pod applies the message within a second: its cached copy is gone...
  for (const [i, pod] of [pod1, pod2].entries()) {
    const held = await eventually(
      () => pod.directory.holds({ subdomain: tenant.subdomain }),
      (h) => !h,
      { timeoutMs: 1_000, intervalMs: 5 },
    );
    t.false(held, `pod ${i + 1} dropped the tenant within a second`);
  }
  t.log(`applied by both pods after ${Date.now() - started} ms`);
  // ...and serves the new status from then on (its next request reads the registry).
  for (const pod of [pod1, pod2]) {
    const reply = await eventually(
      () => call(pod.url, 'GET', '/v1/tenant', { host: hostOf(tenant) }),
      (r) => r.status === 403,
    );
    t.is(reply.status, 403, 'suspended');
  }
});

test('unknown tenants are negatively cached: a flood of random look-ups reads the registry once per name', async (t) => {
  const api = await world.startApi();
  const registryReads = async () =>
    (await api.metrics.cacheLookups.get()).values.find((v) => v.labels.layer === 'registry')?.value ?? 0;
  const before = await registryReads();
  for (let i = 0; i < 20; i++) {
    t.is((await call(api.url, 'GET', '/v1/tenant', { host: hostOf('ghost-tenant') })).status, 404);
  }
  t.is((await registryReads()) - before, 1);
});

test('concurrent first requests for one tenant read the registry once (single-flight)', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const registryReads = async () =>
    (await api.metrics.cacheLookups.get()).values.find((v) => v.labels.layer === 'registry')?.value ?? 0;
  const before = await registryReads();
  const replies = await Promise.all(
    Array.from({ length: 25 }, () => call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })),
  );
  t.true(replies.every((r) => r.status === 200));
  t.is((await registryReads()) - before, 1);
});

test('isolation: concurrent writes for two tenants land only in their own databases', async (t) => {
  const api = await world.startApi();
  const [a, b] = [await world.tenant(), await world.tenant({ cluster: world.clusters[1] })];
  const [tokenA, tokenB] = [await world.token(a), await world.token(b)];
  const writes = Array.from({ length: 20 }, (_, i) => {
    const [tenant, token] = i % 2 === 0 ? [a, tokenA] : [b, tokenB];
    return call(api.url, 'POST', '/v1/courses', {
      host: hostOf(tenant),
      token,
      body: { title: `${tenant.tenantId} course ${i}`, code: `C${i}` },
    });
  });
  const replies = await Promise.all(writes);
  t.true(
    replies.every((r) => r.status === 201),
    JSON.stringify(replies.find((r) => r.status !== 201)?.body),
  );

  for (const [tenant, client] of [
    [a, world.mongo[0]],
    [b, world.mongo[1]],
  ] as const) {
    const titles = await (client as MongoClient)
      .db(tenant.database ?? '')
      .collection('courses')
      .find()
      .map((c) => String(c.title))
      .toArray();
    t.is(titles.length, 10);
    t.true(titles.every((title) => title.startsWith(tenant.tenantId)));
  }

  // Lists see only their own tenant's courses; an id of A's course is not found at B.
  const listA = await call(api.url, 'GET', '/v1/courses?limit=100', { host: hostOf(a), token: tokenA });
  t.is(listA.body.items.length, 10);
  const idOfA = listA.body.items[0].id;
  const atB = await call(api.url, 'GET', `/v1/courses/${idOfA}`, { host: hostOf(b), token: tokenB });
  t.is(atB.status, 404);
});

test('per-tenant rate limits by plan hold across pods, with RateLimit headers and 429 problems', async (t) => {
  const env = { RATE_LIMITS: '{"free":3}', RATE_LIMIT_WINDOW_MS: '60000' };
  const [pod1, pod2] = [await world.startApi(env), await world.startApi(env)];
  const free = await world.tenant({ plan: 'free' });
  const standard = await world.tenant({ plan: 'standard' });
  // Windows are wall-clock minutes: start early in one, so the four requests share it.
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 50));
  const statuses: number[] = [];
  for (const pod of [pod1, pod2, pod1, pod2]) {
    const reply = await call(pod.url, 'GET', '/v1/tenant', { host: hostOf(free) });
    statuses.push(reply.status);
    t.regex(String(reply.headers['ratelimit-policy']), /^"free";q=3;w=60$/);
    if (reply.status === 429) {
      t.is(reply.body.code, 'rate-limited');
      t.truthy(reply.headers['retry-after']);
      t.regex(String(reply.headers.ratelimit), /^"free";r=0;t=\d+$/);
    }
  }
  t.deepEqual(statuses, [200, 200, 200, 429]);
  // Another tenant (and a plan without a limit) is unaffected.
  const other = await call(pod1.url, 'GET', '/v1/tenant', { host: hostOf(standard) });
  t.is(other.status, 200);
  t.is(other.headers['ratelimit-policy'], undefined);
});

test('bad input is a problem listing the issues and writes nothing', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const token = await world.token(tenant);
  const reply = await call(api.url, 'POST', '/v1/courses', {
    host: hostOf(tenant),
    token,
    body: { title: '', code: 42, extra: true },
  });
  t.is(reply.status, 422);
  t.is(reply.body.code, 'validation-failed');
  t.deepEqual(reply.body.issues.map((i: { path: string[] }) => i.path.join('.')).sort(), [
    'body',
    'body.code',
    'body.title',
  ]);
  const count = await world.mongo[0]
    ?.db(tenant.database ?? '')
    .collection('courses')
    .countDocuments();
  t.is(count, 0);

  const badJson = await call(api.url, 'POST', '/v1/courses', {
    host: hostOf(tenant),
    token,
    headers: { 'content-type': 'application/json' },
    raw: '{"title": "unterminated',
  });
  t.is(badJson.status, 400);
  t.is(badJson.body.code, 'malformed-request');
});

test('roles and tokens: students cannot create courses; expired, tampered and alg-none tokens are 401', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const student = await world.token(tenant, ['student']);
  const create = await call(api.url, 'POST', '/v1/courses', {
    host: hostOf(tenant),
    token: student,
    body: { title: 'x', code: 'y' },
  });
  t.is(create.status, 403);
  t.is(create.body.code, 'forbidden');

  const anonymous = await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant) });
  t.is(anonymous.status, 401);
  t.is(anonymous.headers['www-authenticate'], 'Bearer');

  const { signAccessToken } = await import('../../api/src/auth/tokens.ts');
  const expired = await signAccessToken(
    tenant,
    { userId: 'u', roles: ['admin'] },
    { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) },
  );
  const good = await world.token(tenant, ['admin']);
  const [header, payload, signature] = good.split('.');
  const tamperedPayload = Buffer.from(
    JSON.stringify({
      ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
      roles: ['admin', 'teacher'],
    }),
  ).toString('base64url');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: tenant.signingKeys[0]?.kid })).toString('base64url')}.${payload}.`;
  for (const [name, token] of [
    ['expired', expired],
    ['tampered', `${header}.${tamperedPayload}.${signature}`],
    ['alg none', none],
    ['garbage', 'not-a-jwt'],
  ] as const) {
    const reply = await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token });
    t.is(reply.status, 401, name);
    t.is(reply.body.code, 'invalid-token', name);
  }
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token: good })).status, 200);
});

test('logs carry requestId and tenantId on every request line, honour X-Request-Id, and hold no secrets', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const token = await world.token(tenant);
  const reply = await call(api.url, 'GET', '/v1/courses', {
    host: hostOf(tenant),
    token,
    headers: { 'x-request-id': 'req-from-client-1' },
  });
  t.is(reply.status, 200);
  t.is(reply.headers['x-request-id'], 'req-from-client-1');
  const line = api.logs.lines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-from-client-1');
  t.like(line, { tenantId: tenant.tenantId, route: '/v1/courses', status: 200 });
  t.false(api.logs.text.includes(token));
  t.false(/mongodb:\/\/[^"]*:[^"]*@/.test(api.logs.text), 'no URI with credentials in logs');
});

test('EdDSA keys as the operator makes them (a private JWK in the registry) sign and verify', async (t) => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const api = await world.startApi();
  const tenant = await world.tenant({
    signingKeys: [{ kid: 'ed-1', alg: 'EdDSA', jwk, createdAt: new Date() }],
  });
  const token = await world.token(tenant);
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token })).status, 200);
  const [header, payload] = token.split('.');
  const forged = `${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token: forged })).status, 401);
});
