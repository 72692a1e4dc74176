/**
 * Benchmark 1 (issue 4): what the tenancy layer costs.
 *
 * Part A, end to end over loopback HTTP with autocannon (in a child process):
 *   - `tenancy`  GET /v1/courses through the whole pod (startApi: Host + Bearer token, directory
 *     cache, token verification, Redis rate limiter, ConnectionManager handle, access log, metrics)
 *   - `baseline` the same query through a plain single-database Koa + mongoose app on the same
 *     FerretDB database, same model, same response shape.
 *   Warm-up, then alternating runs; ratios of median req/s and median p99.
 *   The same again on routes that do not touch the database (GET /v1/tenant vs a constant JSON
 *   route), where the slow test backend cannot hide the layer's cost.
 *
 * Part B, in process over many iterations: each part of the layer on its own, in microseconds.
 *
 *   npx tsx bench/overhead.ts [--duration=8] [--rounds=5] [--connections=10] [--iterations=20000]
 *   node --cpu-prof --import tsx bench/overhead.ts --profile-only [--profile-paths=/v1/tenant]
 */
import Router from '@koa/router';
import { Redis } from 'ioredis';
import Koa from 'koa';
import mongoose from 'mongoose';
import { z } from 'zod';
import { AccountRevocations } from '../api/src/auth/revocations.ts';
import { VerifiedTokenCache } from '../api/src/auth/token-cache.ts';
import { claimedTenant, verifyAccessToken } from '../api/src/auth/tokens.ts';
import { type CourseRecord, courseSchema } from '../api/src/courses/model.ts';
import { presentCourse } from '../api/src/courses/routes.ts';
import { listQuery, paginate } from '../api/src/http/pagination.ts';
import { createLogger } from '../api/src/observability/logger.ts';
import { requestContext } from '../api/src/observability/request-context.ts';
import { TenantRateLimiter } from '../api/src/tenancy/rate-limit.ts';
import { readHints, resolveTenant } from '../api/src/tenancy/resolve.ts';
import { systemClock } from '../contract/src/clock.ts';
import { call, createWorld, hostOf } from '../test/api/fixtures.ts';
import { devNull, fmt, load, log, median, option, runBench, summarize, table } from './lib/common.ts';
import type { LoadRequest, LoadResult } from './lib/load-worker.ts';

const DURATION_S = option('duration', 8);
const ROUNDS = option('rounds', 5);
const CONNECTIONS = option('connections', 10);
const ITERATIONS = option('iterations', 20_000);
const COURSES = 5;
/** GET /v1/courses's query, as the route declares it (api/src/courses/routes.ts). */
const CourseListQuery = listQuery(['createdAt', 'title', 'code'], {
  state: z.enum(['draft', 'published', 'archived']).optional(),
});

/** Only load the tenancy variants (for `node --cpu-prof`), no baseline, no in-process parts. */
const PROFILE_ONLY = process.argv.includes('--profile-only');
/** The routes `--profile-only` loads, comma-separated. */
const PROFILE_PATHS = (
  process.argv.find((a) => a.startsWith('--profile-paths='))?.slice('--profile-paths='.length) ??
  '/v1/courses,/v1/tenant'
).split(',');

/**
 * The plain app: one database, one connection, no tenancy, no auth, no log lines; GET /v1/courses
 * runs the API's own list code (query schema, paginate, presentCourse) as an admin sees it.
 */
async function startBaseline(uri: string, database: string) {
  const connection = mongoose.createConnection(uri, {
    dbName: database,
    maxPoolSize: 20,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  });
  await connection.asPromise();
  const Course = connection.model<CourseRecord>('Course', courseSchema);
  const app = new Koa();
  const router = new Router();
  router.get('/v1/courses', async (ctx) => {
    const query = CourseListQuery.parse(ctx.query);
    ctx.body = await paginate(ctx, Course, {}, query, { present: presentCourse });
  });
  router.get('/v1/tenant', (ctx) => {
    ctx.body = { id: 'bench', subdomain: 'bench', displayName: 'Tenant bench', plan: 'standard' };
  });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await connection.close();
    },
  };
}

type Variant = { name: string; request: LoadRequest };

async function alternate(title: string, baseline: Variant, tenancy: Variant, rounds: number) {
  log(`${title}: warm-up`);
  await load({ ...baseline.request, durationS: 3 });
  await load({ ...tenancy.request, durationS: 3 });
  const results: Record<string, LoadResult[]> = { [baseline.name]: [], [tenancy.name]: [] };
  for (let round = 1; round <= rounds; round++) {
    // Alternate which goes first, so drift (FerretDB's SQLite, page cache) hits both alike.
    const order = round % 2 === 1 ? [baseline, tenancy] : [tenancy, baseline];
    for (const v of order) {
      const r = await load(v.request);
      results[v.name]?.push(r);
      log(
        `${title} round ${round} ${v.name}: ${fmt(r.rps)} req/s p50 ${fmt(r.p50)} ms p99 ${fmt(r.p99)} ms ` +
          `statuses ${JSON.stringify(r.statuses)} errors ${r.errors}`,
      );
    }
  }
  console.log(`\n## ${title} (${rounds} alternating rounds × ${DURATION_S} s, ${CONNECTIONS} connections)`);
  const rows: Array<Array<string | number>> = [
    ['variant', 'req/s (median)', 'req/s per round', 'p50 ms', 'p99 ms (median)', 'non-2xx', 'errors'],
  ];
  for (const v of [baseline, tenancy]) {
    const rs = results[v.name] ?? [];
    rows.push([
      v.name,
      median(rs.map((r) => r.rps)),
      rs.map((r) => fmt(r.rps)).join(' / '),
      median(rs.map((r) => r.p50)),
      median(rs.map((r) => r.p99)),
      rs.reduce((s, r) => s + (r.requests - r.ok), 0),
      rs.reduce((s, r) => s + r.errors, 0),
    ]);
  }
  table(rows);
  const b = results[baseline.name] ?? [];
  const t = results[tenancy.name] ?? [];
  const rpsRatio = median(t.map((r) => r.rps)) / median(b.map((r) => r.rps));
  const p99Ratio = median(t.map((r) => r.p99)) / median(b.map((r) => r.p99));
  const perRound = t.map((r, i) => fmt(r.rps / (b[i]?.rps ?? Number.NaN))).join(' / ');
  console.log(
    `ratio ${title}: req/s tenancy/baseline = ${rpsRatio.toFixed(3)} (per round ${perRound}); ` +
      `p99 tenancy/baseline = ${p99Ratio.toFixed(2)}`,
  );
  return { rpsRatio, p99Ratio };
}

/** Times `fn` `n` times one after another; per-call samples in microseconds. */
async function timeAsync(n: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  for (let i = 0; i < Math.min(2_000, n); i++) await fn();
  const samples = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples[i] = (performance.now() - t0) * 1000;
  }
  return samples;
}

/** Times a synchronous `fn` in batches (timer overhead spread out); mean microseconds per call. */
function timeSync(n: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(5_000, n); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

runBench(1, async (stack) => {
  const uri = stack.mongoUris[0] as string;
  const world = await createWorld(stack.mongoUris);
  try {
    const tenant = await world.tenant();
    const token = await world.token(tenant, ['admin']);
    // The limiter runs on every request (a Redis round trip per batch) but never refuses one here.
    const api = await world.startApi(
      { LOG_LEVEL: 'info', RATE_LIMITS: '{"free":1000000000,"standard":1000000000,"enterprise":1000000000}' },
      { logger: createLogger('info', devNull()) },
    );
    // The courses are created through the API (migrations, schema, enrollment rules all apply).
    for (let i = 0; i < COURSES; i++) {
      const reply = await call(api.url, 'POST', '/v1/courses', {
        host: hostOf(tenant),
        token,
        body: {
          title: `Course ${i}`,
          code: `C-${i}`,
          description: 'A course of the benchmark',
          state: 'published',
        },
      });
      if (reply.status !== 201)
        throw new Error(`POST /v1/courses → ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    const baseline = await startBaseline(uri, tenant.database as string);
    log(`api ${api.url}, baseline ${baseline.url}, tenant ${tenant.tenantId}`);

    const common = { path: '/v1/courses', connections: CONNECTIONS, durationS: DURATION_S };
    const tenancyHeaders = { host: hostOf(tenant), authorization: `Bearer ${token}` };
    if (PROFILE_ONLY) {
      for (const path of PROFILE_PATHS) {
        const r = await load({ ...common, path, url: api.url, headers: tenancyHeaders });
        console.log(
          `profile load ${path}: ${fmt(r.rps)} req/s p99 ${fmt(r.p99)} ms ${JSON.stringify(r.statuses)}`,
        );
      }
      await baseline.close();
      return;
    }
    const db = await alternate(
      'GET /v1/courses (FerretDB)',
      { name: 'baseline', request: { ...common, url: baseline.url } },
      { name: 'tenancy', request: { ...common, url: api.url, headers: tenancyHeaders } },
      ROUNDS,
    );
    const noDb = await alternate(
      'GET /v1/tenant (no database)',
      { name: 'baseline', request: { ...common, path: '/v1/tenant', url: baseline.url } },
      { name: 'tenancy', request: { ...common, path: '/v1/tenant', url: api.url, headers: tenancyHeaders } },
      Math.max(1, ROUNDS - 1),
    );

    // Which part of the pod costs what, at full load on the route without database work: the same
    // pod with parts switched off through its configuration (no code changed), one run each.
    const noLimits = await world.startApi(
      { LOG_LEVEL: 'info', RATE_LIMITS: '{}' },
      { logger: createLogger('info', devNull()) },
    );
    const quiet = await world.startApi(
      { LOG_LEVEL: 'warn', RATE_LIMITS: '{}' },
      { logger: createLogger('warn', devNull()) },
    );
    const hostOnly = { host: hostOf(tenant) };
    const ablations: Array<[string, LoadRequest]> = [
      ['baseline (plain Koa, constant JSON)', { ...common, path: '/v1/tenant', url: baseline.url }],
      [
        'pod: Host + token, limiter, info log',
        { ...common, path: '/v1/tenant', url: api.url, headers: tenancyHeaders },
      ],
      [
        'pod: Host only (no token), limiter, info log',
        { ...common, path: '/v1/tenant', url: api.url, headers: hostOnly },
      ],
      [
        'pod: Host + token, no limiter, info log',
        { ...common, path: '/v1/tenant', url: noLimits.url, headers: tenancyHeaders },
      ],
      [
        'pod: Host only, no limiter, info log',
        { ...common, path: '/v1/tenant', url: noLimits.url, headers: hostOnly },
      ],
      [
        'pod: Host only, no limiter, warn log',
        { ...common, path: '/v1/tenant', url: quiet.url, headers: hostOnly },
      ],
    ];
    const ablationRows: Array<Array<string | number>> = [
      ['GET /v1/tenant variant', 'req/s', 'µs/req (1e6/req/s)', 'p50 ms', 'p99 ms', 'non-2xx'],
    ];
    for (const [name, request] of ablations) {
      await load({ ...request, durationS: 2 });
      const r = await load(request);
      log(`ablation ${name}: ${fmt(r.rps)} req/s ${JSON.stringify(r.statuses)}`);
      ablationRows.push([name, r.rps, 1e6 / r.rps, r.p50, r.p99, r.requests - r.ok]);
    }
    console.log(
      `\n## Where the pod's time goes: GET /v1/tenant with parts switched off by config (${DURATION_S} s each, ${CONNECTIONS} connections)`,
    );
    table(ablationRows);
    await baseline.close();

    // ---- Part B: the layer's own parts, in process --------------------------------------------
    log(`in-process parts, ${ITERATIONS} iterations each`);
    const fakeRequest = {
      hostname: hostOf(tenant),
      header: { host: hostOf(tenant), authorization: `Bearer ${token}` } as Record<string, string>,
    };
    const hints = readHints(fakeRequest, 'lms.test');
    const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    await new Promise((resolve) => redis.once('ready', resolve));
    const limiter = new TenantRateLimiter({
      redis,
      limits: { standard: 1_000_000_000 },
      windowMs: 60_000,
      logger: api.logger,
      prefix: `${world.redisPrefix}-bench`,
      clock: systemClock,
    });
    const subscriber = new Redis(stack.redisUrl);
    const revocations = new AccountRevocations({
      redis,
      accessTtlSeconds: 900,
      prefix: `${world.redisPrefix}-bench`,
      clock: systemClock,
    });
    await revocations.listen(subscriber);
    const resolveOptions = { provisioningRetryAfterS: 5, clock: systemClock };
    const logger = createLogger('info', devNull()).child({}, { redact: [] });
    const metrics = api.metrics;
    const subdomain = tenant.subdomain;

    const rows: Array<Array<string | number>> = [['part', 'mean µs', 'p50 µs', 'p99 µs']];
    const sync = (name: string, fn: () => unknown) => {
      const mean = timeSync(ITERATIONS, fn);
      rows.push([name, mean, '-', '-']);
      return mean;
    };
    const async_ = async (name: string, fn: () => Promise<unknown> | unknown) => {
      const s = summarize(await timeAsync(ITERATIONS, fn));
      rows.push([name, s.mean, s.p50, s.p99]);
      return s.mean;
    };
    const parts: Record<string, number> = {};
    parts.hints = sync('readHints (Host, X-Tenant-ID, Authorization)', () =>
      readHints(fakeRequest, 'lms.test'),
    );
    parts.cache = await async_('directory.find (in-process LRU hit)', () =>
      api.directory.find({ subdomain }),
    );
    sync('claimedTenant (decode JWT payload; the pod remembers it per token)', () => claimedTenant(token));
    await async_('verifyAccessToken (jose HS256 + zod claims), first sight of a token', () =>
      verifyAccessToken(token, tenant, systemClock.date()),
    );
    const tokens = new VerifiedTokenCache();
    parts.verify = await async_('verified-token cache hit (what the pod does for a known token)', () =>
      tokens.verify(token, tenant, systemClock.date()),
    );
    parts.resolve = await async_('resolveTenant total (find + claim + cached verify + gate)', () =>
      resolveTenant(hints, api.directory, { ...resolveOptions, tokens }),
    );
    parts.rate = await async_(
      `rateLimiter.take (batch of ${limiter.batchFor(1_000_000_000)} from Redis, spent in process)`,
      () => limiter.take(tenant.tenantId, 'standard'),
    );
    parts.revoked = sync('revocations.isRevoked (in process, kept in sync over pub/sub)', () =>
      revocations.isRevoked(tenant.tenantId, 'user-1', Math.floor(Date.now() / 1000)),
    );
    parts.checkout = await async_('manager.acquire + release (warm handle)', async () => {
      const checkout = await api.manager.acquire(tenant);
      checkout.release();
    });
    parts.metrics = sync('metrics: request + resolution histogram observe', () => {
      metrics.requestDuration.observe(
        { plan: 'standard', route: '/v1/courses', method: 'GET', status: '2xx' },
        0.001,
      );
      metrics.resolutionDuration.observe({ source: 'subdomain+token' }, 0.0001);
    });
    parts.log = sync('access log line (pino JSON + mixin, no redaction → /dev/null)', () =>
      requestContext.run({ requestId: 'r', tenantId: tenant.tenantId }, () =>
        logger.info(
          {
            requestId: 'r',
            tenantId: tenant.tenantId,
            method: 'GET',
            route: '/v1/courses',
            status: 200,
            ms: 1.2,
          },
          'request',
        ),
      ),
    );
    parts.uuid = sync('request id (randomUUID)', () => crypto.randomUUID());
    revocations.close();
    subscriber.disconnect();
    redis.disconnect();

    console.log(`\n## Tenancy layer in process (${ITERATIONS} iterations per part, database call excluded)`);
    table(rows);
    const perRequest =
      (parts.hints ?? 0) +
      (parts.resolve ?? 0) +
      (parts.rate ?? 0) +
      (parts.revoked ?? 0) +
      (parts.checkout ?? 0) +
      (parts.metrics ?? 0) +
      (parts.log ?? 0) +
      (parts.uuid ?? 0);
    console.log(
      `layer per request: ${fmt(perRequest)} µs (hints + resolve + rate limiter + revocation + database checkout + metrics + log + request id)`,
    );
    console.log(
      `\nsummary: /v1/courses req/s ratio ${db.rpsRatio.toFixed(3)} (target ≥ 0.90), p99 ratio ${db.p99Ratio.toFixed(2)}; ` +
        `/v1/tenant req/s ratio ${noDb.rpsRatio.toFixed(3)}, p99 ratio ${noDb.p99Ratio.toFixed(2)}`,
    );
  } finally {
    await world.close();
  }
});
