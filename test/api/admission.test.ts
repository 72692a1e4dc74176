import { randomUUID } from 'node:crypto';
import test from 'ava';
import { Redis, type RedisOptions } from 'ioredis';
import { pino } from 'pino';
import { AccountRevocations, RevocationsUnavailable } from '../../api/src/auth/revocations.ts';
import { TenantRateLimiter } from '../../api/src/tenancy/rate-limit.ts';
import { systemClock } from '../../contract/src/clock.ts';
import { eventually } from '../harness/eventually.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { RunDirectory } from '../harness/processes.ts';
import { startRedis } from '../harness/redis.ts';

// A Redis of this file's own: the tests below cut its connections.
const run = new RunDirectory();
let url = '';
const clients: Redis[] = [];
const connect = (options: RedisOptions = {}) => {
  const client = new Redis(url, options);
  client.on('error', () => {});
  clients.push(client);
  return client;
};
/** A command connection as the pod has it (no offline queue), once it is connected. */
const connected = async () => {
  const client = connect({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
};
const logger = pino({ level: 'silent' });

test.before(async () => {
  url = (await startRedis(run)).url;
});
test.after.always(async () => {
  for (const client of clients) client.disconnect();
  await run.close();
});

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
  const redis = connect({ maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
  const limiter = new TenantRateLimiter({
    redis,
    limits: { free: 10 },
    windowMs: 60_000,
    logger,
    clock: new ManualClock(),
  });
  t.is(await limiter.take('offline', 'free'), undefined);
});

async function revocations(prefix: string, resyncMs = 30_000) {
  const redis = await connected();
  const name = `sub-${randomUUID()}`;
  const subscriber = connect({ connectionName: name });
  const store = new AccountRevocations({
    redis,
    accessTtlSeconds: 900,
    prefix,
    resyncMs,
    logger,
    clock: systemClock,
  });
  return { store, redis, subscriber, name, listen: () => store.listen(subscriber) };
}

test('a revocation reaches every pod without a Redis read per request; a pod started later learns it too', async (t) => {
  const prefix = `rv-${randomUUID()}`;
  const [a, b] = [await revocations(prefix), await revocations(prefix)];
  await Promise.all([a.listen(), b.listen()]);
  const issuedAt = Math.floor(Date.now() / 1000) - 10;
  t.false(b.store.isRevoked('t1', 'u1', issuedAt));

  await a.store.revoke('t1', 'u1');
  t.true(a.store.isRevoked('t1', 'u1', issuedAt), 'at once on the pod that revoked');
  t.true(
    await eventually(() => b.store.isRevoked('t1', 'u1', issuedAt), Boolean, { timeoutMs: 10_000 }),
    'on the other pod',
  );
  t.false(b.store.isRevoked('t1', 'u2', issuedAt), 'another account is untouched');
  t.false(b.store.isRevoked('t2', 'u1', issuedAt), 'the same account id at another tenant is untouched');
  t.false(
    b.store.isRevoked('t1', 'u1', Math.floor(Date.now() / 1000) + 1),
    'a token issued afterwards works',
  );

  const late = await revocations(prefix);
  await late.listen();
  t.true(late.store.isRevoked('t1', 'u1', issuedAt));
  for (const pod of [a, b, late]) pod.store.close();
});

test.serial(
  'a pod whose subscription drops refuses to answer until it has re-read the set; a lost message is caught by the resync',
  async (t) => {
    const prefix = `rv-${randomUUID()}`;
    const pod = await revocations(prefix, 200);
    await pod.listen();
    const issuedAt = Math.floor(Date.now() / 1000) - 10;
    t.false(pod.store.isRevoked('t1', 'u1', issuedAt));

    // Cut the pod's subscription: until it is back and the set re-read, no answer.
    const admin = connect();
    const clients = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const address = clients.find((line) => line.includes(` name=${pod.name} `))?.match(/ addr=(\S+) /)?.[1];
    t.truthy(address, 'the subscriber is connected');
    await admin.call('CLIENT', 'KILL', 'ADDR', address ?? '');
    t.true(await eventually(() => !pod.store.synced, Boolean, { timeoutMs: 10_000 }));
    t.throws(() => pod.store.isRevoked('t1', 'u1', issuedAt), { instanceOf: RevocationsUnavailable });
    // Revoked while the pod was cut off: the message is lost, the re-read after reconnecting finds it.
    await (await revocations(prefix)).store.revoke('t1', 'u1');
    t.true(
      await eventually(() => pod.store.synced, Boolean, { timeoutMs: 10_000 }),
      'back in sync after reconnecting',
    );
    t.true(pod.store.isRevoked('t1', 'u1', issuedAt));

    // A revocation written without its message (as if the message were lost) is found by the periodic re-read.
    await admin.zadd(`${prefix}:v1:revocations`, Math.floor(Date.now() / 1000), 't1:u3');
    t.true(await eventually(() => pod.store.isRevoked('t1', 'u3', issuedAt), Boolean, { timeoutMs: 10_000 }));
    pod.store.close();
  },
);

test.serial(
  'a subscription that stops answering (no close ever comes) is found by its PING and reconnected',
  async (t) => {
    const prefix = `rv-${randomUUID()}`;
    const pod = await revocations(prefix, 200);
    await pod.listen();
    t.true(pod.store.synced);
    // Every client of this server stalls for 3 s: to the pod, its subscription just goes quiet.
    // (Serial: the pause would stall this file's other tests too.)
    const admin = connect();
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    t.true(
      await eventually(() => !pod.store.synced, Boolean, { timeoutMs: 10_000 }),
      'no longer in sync while nothing answers',
    );
    t.throws(() => pod.store.isRevoked('t1', 'u1', 0), { instanceOf: RevocationsUnavailable });
    t.true(
      await eventually(() => pod.store.synced, Boolean, { timeoutMs: 15_000 }),
      'in sync again once the server answers',
    );
    pod.store.close();
  },
);
