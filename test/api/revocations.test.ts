import { randomUUID } from 'node:crypto';
import test from 'ava';
import { Redis, type RedisOptions } from 'ioredis';
import { pino } from 'pino';
import { AccountRevocations, RevocationsUnavailable } from '../../api/src/auth/revocations.ts';
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

/** One pod's revocation list on `clock`; the periodic re-read runs when the test advances it. */
async function revocations(prefix: string, clock: ManualClock, resyncMs = 30_000) {
  const redis = await connected();
  const name = `sub-${randomUUID()}`;
  const subscriber = connect({ connectionName: name });
  const store = new AccountRevocations({ redis, accessTtlSeconds: 900, prefix, resyncMs, logger, clock });
  return { store, redis, subscriber, name, listen: () => store.listen(subscriber) };
}

const seconds = (clock: ManualClock) => Math.floor(clock.now() / 1000);

test('a revocation reaches every pod without a Redis read per request; a pod started later learns it too', async (t) => {
  const prefix = `rv-${randomUUID()}`;
  const clock = new ManualClock();
  const [a, b] = [await revocations(prefix, clock), await revocations(prefix, clock)];
  await Promise.all([a.listen(), b.listen()]);
  const issuedAt = seconds(clock) - 10;
  t.false(b.store.isRevoked('t1', 'u1', issuedAt));

  await a.store.revoke('t1', 'u1');
  t.true(a.store.isRevoked('t1', 'u1', issuedAt), 'at once on the pod that revoked');
  await eventually(
    'the other pod learns the revocation',
    () => b.store.isRevoked('t1', 'u1', issuedAt),
    Boolean,
  );
  t.false(b.store.isRevoked('t1', 'u2', issuedAt), 'another account is untouched');
  t.false(b.store.isRevoked('t2', 'u1', issuedAt), 'the same account id at another tenant is untouched');
  t.false(b.store.isRevoked('t1', 'u1', seconds(clock) + 1), 'a token issued afterwards works');

  const late = await revocations(prefix, clock);
  await late.listen();
  t.true(late.store.isRevoked('t1', 'u1', issuedAt));
  for (const pod of [a, b, late]) pod.store.close();
});

test.serial(
  'a pod whose subscription drops refuses to answer until it has re-read the set; a lost message is caught by the resync',
  async (t) => {
    const prefix = `rv-${randomUUID()}`;
    const clock = new ManualClock();
    const pod = await revocations(prefix, clock, 200);
    await pod.listen();
    const issuedAt = seconds(clock) - 10;
    t.false(pod.store.isRevoked('t1', 'u1', issuedAt));

    // Cut the pod's subscription: until it is back and the set re-read, no answer.
    const admin = connect();
    const clients = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const address = clients.find((line) => line.includes(` name=${pod.name} `))?.match(/ addr=(\S+) /)?.[1];
    t.truthy(address, 'the subscriber is connected');
    await admin.call('CLIENT', 'KILL', 'ADDR', address ?? '');
    await eventually('the pod notices its subscription is gone', () => !pod.store.synced, Boolean);
    t.throws(() => pod.store.isRevoked('t1', 'u1', issuedAt), { instanceOf: RevocationsUnavailable });
    // Revoked while the pod was cut off: the message is lost, the re-read after reconnecting finds it.
    await (await revocations(prefix, clock)).store.revoke('t1', 'u1');
    await eventually('back in sync after reconnecting', () => pod.store.synced, Boolean);
    t.true(pod.store.isRevoked('t1', 'u1', issuedAt));

    // A revocation written without its message (as if the message were lost) is found by the
    // periodic re-read, and only by it: nothing else reads the set while the pod stays connected.
    await admin.zadd(`${prefix}:v1:revocations`, seconds(clock), 't1:u3');
    t.false(pod.store.isRevoked('t1', 'u3', issuedAt));
    clock.advance(200);
    await eventually(
      'the periodic re-read finds it',
      () => pod.store.isRevoked('t1', 'u3', issuedAt),
      Boolean,
    );
    pod.store.close();
  },
);

test.serial(
  'a subscription that stops answering (no close ever comes) is found by its PING and reconnected',
  async (t) => {
    const prefix = `rv-${randomUUID()}`;
    const clock = new ManualClock();
    const pod = await revocations(prefix, clock, 200);
    await pod.listen();
    t.true(pod.store.synced);
    // Every client of this server stalls for 3 s: to the pod, its subscription just goes quiet.
    // (Serial: the pause would stall this file's other tests too.)
    const admin = connect();
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    // The periodic re-read PINGs the subscription first; nothing answers within 2 s.
    clock.advance(200);
    t.true(pod.store.synced, 'in sync until the PING is overdue');
    clock.advance(2_000);
    await eventually('no longer in sync once the PING is overdue', () => !pod.store.synced, Boolean);
    t.throws(() => pod.store.isRevoked('t1', 'u1', 0), { instanceOf: RevocationsUnavailable });
    await eventually('in sync again once the server answers', () => pod.store.synced, Boolean, {
      timeoutMs: 15_000,
    });
    pod.store.close();
  },
);
