import { request } from 'node:http';
import test from 'ava';
import { ConfigError, loadConfig } from '../../api/src/app/config.ts';
import { eventually } from '../harness/eventually.ts';
import { call, createWorld, hostOf, type World } from './fixtures.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('a bad configuration fails at start with a message naming each variable', (t) => {
  const error = t.throws(() =>
    loadConfig({
      REGISTRY_MONGO_URI: 'postgres://nope',
      REDIS_URL: 'redis://x',
      PORT: 'eighty',
      ATRIUM_REGISTRY_KEYS: 'k',
    }),
  );
  t.true(error instanceof ConfigError);
  t.deepEqual((error as ConfigError).variables.sort(), ['PORT', 'REGISTRY_MONGO_URI']);
  t.regex(error?.message ?? '', /REGISTRY_MONGO_URI: a mongodb:\/\/ or mongodb\+srv:\/\/ URI/);

  const noKeys = t.throws(() => loadConfig({ REGISTRY_MONGO_URI: 'mongodb://h', REDIS_URL: 'redis://h' }));
  t.deepEqual((noKeys as ConfigError).variables, ['ATRIUM_REGISTRY_KEYS']);
});

test('healthz, readyz and metrics answer on the ops port; readyz fails while draining', async (t) => {
  const api = await world.startApi();
  t.deepEqual((await call(api.opsUrl, 'GET', '/healthz')).body, { status: 'ok' });
  const ready = await call(api.opsUrl, 'GET', '/readyz');
  t.is(ready.status, 200);
  t.deepEqual(ready.body.checks, { registry: true, redis: true, revocations: true });

  const tenant = await world.tenant();
  await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token: await world.token(tenant) });
  const metrics = (await call(api.opsUrl, 'GET', '/metrics')).body as string;
  t.regex(
    metrics,
    /atrium_http_request_duration_seconds_count\{plan="standard",route="\/v1\/courses",method="GET",status="2xx"\} 1/,
  );
  t.regex(metrics, /atrium_pools_open\{cluster="cluster-0",kind="shared"\} 1/);
  // Per tenant, only the bounded set of the busiest tenants' series (TOP_TENANTS).
  const perTenant = metrics.split('\n').filter((line) => line.includes(tenant.tenantId));
  t.true(perTenant.length > 0);
  t.true(
    perTenant.every((line) => line.startsWith('atrium_tenant_busiest_')),
    'no per-tenant series but the busiest tenants',
  );

  api.api.startDraining();
  const draining = await call(api.opsUrl, 'GET', '/readyz');
  t.is(draining.status, 503);
  t.is((await call(api.opsUrl, 'GET', '/healthz')).status, 200, 'alive while it drains');
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

test('graceful shutdown finishes in-flight requests, refuses new ones and closes every pool', async (t) => {
  const api = await world.startApi({ SHUTDOWN_DEADLINE_MS: '10000' });
  const tenant = await world.tenant();
  const token = await world.token(tenant);
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token })).status, 200);

  // A request in flight: headers sent, body still arriving when the shutdown begins.
  const body = JSON.stringify({ title: 'Written during shutdown', code: 'SD1' });
  const url = new URL('/v1/courses', api.url);
  let finishBody = () => {};
  const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        host: hostOf(tenant),
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    finishBody = () => req.end(body.slice(10));
  });
  await eventually(
    'the request is in flight',
    () => api.api.inFlight(),
    (n) => n === 1,
  );
  const stopped = api.shutdown('test');

  // New connections are refused once the server stops listening; the request in flight goes on.
  await eventually(
    'new connections are refused',
    () =>
      call(api.url, 'GET', '/openapi.json').then(
        () => 'accepted',
        () => 'refused',
      ),
    (outcome) => outcome === 'refused',
  );
  await t.throwsAsync(call(api.url, 'GET', '/openapi.json'));
  // The ops port stays up until the end: alive, not ready.
  t.is((await call(api.opsUrl, 'GET', '/healthz')).status, 200);
  t.is((await call(api.opsUrl, 'GET', '/readyz')).status, 503);
  finishBody();

  const finished = await reply;
  t.is(finished.status, 201, finished.text);
  t.deepEqual(await stopped, { unfinished: 0 });
  t.deepEqual(api.manager.stats(), { handles: 0, pools: [] });
  const stored = await world.mongo[0]
    ?.db(tenant.database ?? '')
    .collection('courses')
    .findOne({ code: 'SD1' });
  t.is(stored?.title, 'Written during shutdown');
});

test('the pod process: a bad config exits 78 naming the variable; SIGTERM stops it cleanly', async (t) => {
  const { spawn } = await import('node:child_process');
  const { testServers } = await import('../harness/env.ts');
  const start = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import=tsx', 'api/src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const collect = (child: ReturnType<typeof start>) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    return () => out;
  };

  const bad = start({
    REGISTRY_MONGO_URI: 'mysql://x',
    REDIS_URL: 'redis://127.0.0.1:1',
    ATRIUM_REGISTRY_KEYS: 'x',
  });
  const badOut = collect(bad);
  // 'close', not 'exit': the output may still be in the pipe when the process has exited.
  const badCode = await new Promise<number | null>((resolve) => bad.once('close', (code) => resolve(code)));
  t.is(badCode, 78);
  t.regex(badOut(), /REGISTRY_MONGO_URI/);

  const good = start({
    PORT: '0',
    HOST: '127.0.0.1',
    OPS_PORT: '0',
    OPS_HOST: '127.0.0.1',
    REGISTRY_MONGO_URI: testServers.mongoUris()[0] ?? '',
    REGISTRY_DATABASE: world.registryDatabase,
    REDIS_URL: testServers.redisUrl(),
    ATRIUM_REGISTRY_KEYS: world.keys,
  });
  const goodOut = collect(good);
  await eventually('the pod logs that it is listening', goodOut, (out) => out.includes('"listening"'), {
    timeoutMs: 60_000,
  });
  t.regex(goodOut(), /"msg":"listening"/);
  good.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => good.once('close', (c) => resolve(c)));
  t.is(code, 0);
  t.regex(goodOut(), /"msg":"stopped"/);
  t.false(
    goodOut().includes(testServers.mongoUris()[0] ?? 'unreachable'),
    'the registry URI is never logged',
  );
});

test('shared pools take a cluster URI from the pod config when the registry has none', async (t) => {
  const { testServers } = await import('../harness/env.ts');
  await world.registry.putCluster({
    name: 'configured-only',
    labels: {},
    region: null,
    capacity: null,
    cordoned: false,
    weight: 100,
    reachable: true,
    serverVersion: null,
    flavour: null,
    tenantCount: 0,
    apiURI: null,
    generation: 1,
  });
  const tenant = await world.tenant({ cluster: 'configured-only' });
  const token = await world.token(tenant);

  const unconfigured = await world.startApi();
  const refused = await call(unconfigured.url, 'GET', '/v1/courses', { host: hostOf(tenant), token });
  t.is(refused.status, 503);
  t.is(refused.body.code, 'cluster-unavailable');

  const configured = await world.startApi({
    CLUSTER_URIS: JSON.stringify({ 'configured-only': testServers.mongoUris()[0] }),
  });
  const served = await call(configured.url, 'GET', '/v1/courses', { host: hostOf(tenant), token });
  t.is(served.status, 200);
});

test('with Redis down, a token cannot be checked for revocation: 503, while token-less requests still pass', async (t) => {
  const { RunDirectory } = await import('../harness/processes.ts');
  const { startRedis } = await import('../harness/redis.ts');
  const run = new RunDirectory();
  t.teardown(() => run.close());
  const redis = await startRedis(run);
  const api = await world.startApi({ REDIS_URL: redis.url });
  const tenant = await world.tenant();
  const token = await world.token(tenant);
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token })).status, 200);

  await redis.process?.kill();
  // The pod learns that its subscription is gone when the socket closes: from then on, 503.
  const refused = await eventually(
    'requests with a token are refused',
    () => call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token }),
    (reply) => reply.status !== 200,
  );
  t.is(refused.status, 503);
  t.is(refused.body.code, 'revocation-check-unavailable');
  t.is(refused.headers['retry-after'], '1');
  // The tenant is cached in process; without a token the limiter fails open.
  t.is((await call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);
  // Shutting down with Redis gone still finishes.
  t.deepEqual(await api.shutdown('redis gone'), { unfinished: 0 });
});
