import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import test from 'ava';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { TenantRateLimiter } from '../../api/src/tenancy/rate-limit.ts';
import { testServers } from '../harness/env.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { call, createWorld, hostOf, RESYNC_OUTSIDE_JUMPS, type World } from './fixtures.ts';

const logger = pino({ level: 'silent' });
const clients: Redis[] = [];
let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  for (const client of clients) client.disconnect();
  await world?.close();
});

/** A command connection as the pod has it (no offline queue), once it is connected. */
async function connected(): Promise<Redis> {
  const client = new Redis(testServers.redisUrl(), { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  clients.push(client);
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

async function pods(count: number, limits: Record<string, number>, prefix: string) {
  const redis = await connected();
  // A clock that stands still at the start of a window: the test never straddles two.
  const clock = new ManualClock();
  return {
    redis,
    limiters: Array.from(
      { length: count },
      () => new TenantRateLimiter({ redis, limits, windowMs: 60_000, logger, prefix, clock }),
    ),
  };
}

test('pods take batches of the window from Redis: together they never admit more than the limit', async (t) => {
  const prefix = `rl-${randomUUID()}`;
  const { redis, limiters } = await pods(3, { standard: 400 }, prefix);
  const [first] = limiters;
  t.is(first?.batchFor(400), 4, '1 % of the limit');
  t.is(first?.batchFor(3), 1);
  t.is(first?.batchFor(1_000_000), 100, 'capped');

  let allowed = 0;
  let refused = 0;
  const tenantId = 'batch-tenant';
  for (let i = 0; i < 450; i++) {
    const limiter = limiters[i % limiters.length] as TenantRateLimiter;
    const decision = await limiter.take(tenantId, 'standard');
    if (decision?.allowed) allowed++;
    else {
      refused++;
      t.is(decision?.remaining, 0);
      t.truthy(decision?.headers['Retry-After']);
    }
  }
  t.true(allowed <= 400, `admitted ${allowed}`);
  // Unspent batches refuse at most (pods - 1) × batch requests early.
  t.true(allowed >= 400 - 2 * 4, `admitted ${allowed}`);
  t.is(allowed + refused, 450);
  const [key] = await redis.keys(`${prefix}:v1:rate:${tenantId}:*`);
  t.is(await redis.get(key ?? ''), '400');
  const ttl = await redis.pttl(key ?? '');
  t.true(ttl > 0 && ttl <= 60_000);

  // One request of a new tenant takes a whole batch: Redis is not asked again for the next three.
  await first?.take('quiet-tenant', 'standard');
  await first?.take('quiet-tenant', 'standard');
  const [quietKey] = await redis.keys(`${prefix}:v1:rate:quiet-tenant:*`);
  t.is(await redis.get(quietKey ?? ''), '4');
});

test('concurrent requests wait for one batch; a plan without a limit is not counted', async (t) => {
  const prefix = `rl-${randomUUID()}`;
  const { redis, limiters } = await pods(1, { free: 1_000 }, prefix);
  const limiter = limiters[0] as TenantRateLimiter;
  const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.take('burst', 'free')));
  t.true(decisions.every((d) => d?.allowed));
  // 25 requests with batches of 10: three grants, not 25.
  const [key] = await redis.keys(`${prefix}:v1:rate:burst:*`);
  t.is(await redis.get(key ?? ''), '30');
  const remaining = decisions.map((d) => d?.remaining ?? -1);
  t.is(Math.min(...remaining), 1_000 - 30 + 5);
  t.is(limiter.take('burst', 'enterprise'), undefined);
});

test('with Redis gone the limiter lets requests through', async (t) => {
  const redis = new Redis(testServers.redisUrl(), {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  clients.push(redis);
  const limiter = new TenantRateLimiter({
    redis,
    limits: { free: 10 },
    windowMs: 60_000,
    logger,
    clock: new ManualClock(),
  });
  t.is(await limiter.take('offline', 'free'), undefined);
});

test('per-tenant rate limits by plan hold across pods, with RateLimit headers and 429 problems; the next window admits again', async (t) => {
  const env = { ...RESYNC_OUTSIDE_JUMPS, RATE_LIMITS: '{"free":3}', RATE_LIMIT_WINDOW_MS: '60000' };
  // The pods' clock stands at the start of a window and moves only when told: the four requests
  // share one window, and the next one is a minute away however long the test takes.
  const clock = new ManualClock();
  const [pod1, pod2] = [await world.startApi(env, { clock }), await world.startApi(env, { clock })];
  const free = await world.tenant({ plan: 'free' });
  const standard = await world.tenant({ plan: 'standard' });
  const token = await world.token(free);
  const statuses: number[] = [];
  for (const pod of [pod1, pod2, pod1, pod2]) {
    const reply = await call(pod.url, 'GET', '/v1/tenant', { host: hostOf(free), token });
    statuses.push(reply.status);
    t.regex(String(reply.headers['ratelimit-policy']), /^"free";q=3;w=60$/);
    if (reply.status === 429) {
      t.is(reply.body.code, 'rate-limited');
      t.truthy(reply.headers['retry-after']);
      t.regex(String(reply.headers.ratelimit), /^"free";r=0;t=\d+$/);
    }
  }
  t.deepEqual(statuses, [200, 200, 200, 429]);
  // Requests without a token spend a budget of their own (a quarter of the limit, at least one).
  const anonymous = await call(pod1.url, 'GET', '/v1/tenant', { host: hostOf(free) });
  t.is(anonymous.status, 200);
  t.is(anonymous.headers['ratelimit-policy'], '"free-anonymous";q=1;w=60');
  t.is((await call(pod2.url, 'GET', '/v1/tenant', { host: hostOf(free) })).status, 429);
  // Another tenant (and a plan without a limit) is unaffected.
  const other = await call(pod1.url, 'GET', '/v1/tenant', { host: hostOf(standard) });
  t.is(other.status, 200);
  t.is(other.headers['ratelimit-policy'], undefined);

  clock.advance(60_000);
  const nextWindow = await call(pod2.url, 'GET', '/v1/tenant', { host: hostOf(free), token });
  t.is(nextWindow.status, 200);
  t.regex(String(nextWindow.headers.ratelimit), /^"free";r=2;t=\d+$/);
});
