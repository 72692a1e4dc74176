import test from 'ava';
import { eventually } from '../harness/eventually.ts';
import { asPerson, FAULT_ENV, faultyWorld, SLACK_MS, summary, type TimedReply } from './api-fixtures.ts';

const DEADLINE = Number(FAULT_ENV.REQUEST_DEADLINE_MS);
const COOLDOWN = Number(FAULT_ENV.BREAKER_COOLDOWN_MS);

test('a stalled cluster: its tenants get 503 cluster-unavailable within the deadline, its breaker opens, the other cluster carries on, and it recovers after heal', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi();
  const stalled = await faults.school(api, 0);
  const healthy = await faults.school(api, 1);
  const onStalled = asPerson(stalled, stalled.admin.token, DEADLINE + 10_000);
  const onHealthy = asPerson(healthy, healthy.admin.token, DEADLINE + 10_000);
  t.is((await onStalled('GET', '/v1/courses')).status, 200);
  t.is((await onHealthy('GET', '/v1/courses')).status, 200);

  await faults.clusters[0]?.stall();
  let stalledDone = false;
  const healthyReplies: TimedReply[] = [];
  const healthyLoad = (async () => {
    for (let i = 0; !stalledDone; i++) {
      healthyReplies.push(
        await (i % 2
          ? onHealthy('POST', '/v1/courses', { title: `Healthy ${i}`, code: `H${i}` })
          : onHealthy('GET', '/v1/courses')),
      );
    }
  })();
  const stalledReplies = await Promise.all([
    ...Array.from({ length: 5 }, () => onStalled('GET', '/v1/courses')),
    onStalled('POST', '/v1/courses', { title: 'During the stall', code: 'STALL1' }),
  ]);
  stalledDone = true;
  await healthyLoad;

  for (const reply of stalledReplies) {
    t.is(reply.status, 503, summary(stalledReplies));
    t.is(reply.body?.code, 'cluster-unavailable', summary(stalledReplies));
    t.truthy(reply.headers['retry-after'], 'with Retry-After');
    t.true(reply.ms <= DEADLINE + SLACK_MS, `answered within the deadline: ${summary(stalledReplies)}`);
  }
  t.true(healthyReplies.length > 0);
  t.true(
    healthyReplies.every((r) => r.status === 200 || r.status === 201),
    `the other cluster's tenant is served: ${summary(healthyReplies)}`,
  );
  t.true(
    healthyReplies.every((r) => r.ms < DEADLINE),
    `and never waits on the stalled cluster: ${summary(healthyReplies)}`,
  );

  // The breaker is open: the stalled cluster's tenants are refused at once, not after a deadline.
  const fast = await onStalled('GET', '/v1/courses');
  t.is(fast.status, 503);
  t.is(fast.body?.code, 'cluster-unavailable');
  t.true(fast.ms < DEADLINE, `refused without waiting: ${fast.ms} ms`);
  const metrics = await asPerson(stalled, undefined, 5_000)('GET', '/metrics');
  t.is(metrics.status, 404, 'metrics are not on the public port');
  const ops = await fetch(`${api.opsUrl}/metrics`).then((r) => r.text());
  t.regex(ops, /atrium_cluster_breaker_open\{cluster="cluster-0"\} 1/);

  // Nothing stays pinned by the requests that gave up.
  const pinned = await eventually(
    'no handle or pool holds a request any more',
    () => api.manager.stats().pools.map((p) => p.inFlight),
    (inFlight) => inFlight.every((n) => n === 0),
    { timeoutMs: DEADLINE + SLACK_MS },
  );
  t.deepEqual(
    pinned.filter((n) => n > 0),
    [],
  );

  await faults.clusters[0]?.heal();
  const recovered = await eventually(
    'the stalled cluster serves again after heal',
    () => onStalled('GET', '/v1/courses'),
    (reply) => reply.status === 200,
    { timeoutMs: COOLDOWN * 4 + DEADLINE * 4 + SLACK_MS, intervalMs: 200 },
  );
  t.is(recovered.status, 200);
  const write = await onStalled('POST', '/v1/courses', { title: 'After the heal', code: 'HEAL1' });
  t.is(write.status, 201, JSON.stringify(write.body));
});

test('a pool with no connection free within its wait-queue timeout answers 503 cluster-unavailable with Retry-After, not 500', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi({
    REQUEST_DEADLINE_MS: '6000',
    POOL_BUDGET_PER_CLUSTER: '1',
    POOL_SHARED_MAX: '1',
    POOL_DEDICATED_MAX: '1',
    POOL_WAIT_QUEUE_TIMEOUT_MS: '200',
  });
  const school = await faults.school(api, 1);
  const admin = asPerson(school, school.admin.token, 20_000);
  t.is((await admin('GET', '/v1/courses')).status, 200);

  // Each database round trip now takes a second: one request holds the only connection.
  await faults.clusters[1]?.add({ type: 'latency', attributes: { latency: 1000 } });
  const replies = await Promise.all(Array.from({ length: 4 }, () => admin('GET', '/v1/courses')));
  t.false(
    replies.some((r) => r.status === 500),
    `no pool exhaustion is an internal error: ${summary(replies)}`,
  );
  const refused = replies.filter((r) => r.status === 503);
  t.true(refused.length > 0, summary(replies));
  for (const reply of refused) {
    t.is(reply.body?.code, 'cluster-unavailable', summary(replies));
    t.truthy(reply.headers['retry-after']);
  }
  t.true(
    replies.every((r) => r.status === 200 || r.status === 503),
    summary(replies),
  );
});
