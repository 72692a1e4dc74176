import test from 'ava';
import { Redis } from 'ioredis';
import { INVALIDATION_CHANNEL } from '../../contract/src/registry/index.ts';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { through } from '../harness/toxiproxy.ts';
import { condition, isReady, type TenantObject } from '../operator/operator-fixtures.ts';
import { FAULT_TIMEOUTS, faultEnv } from './operator-fixtures.ts';

const notReadyWith = (reasons: string[]) => (x: TenantObject) =>
  condition(x, 'Ready')?.status === 'False' && reasons.includes(condition(x, 'Ready')?.reason ?? '');

test("a MongoDB cluster that stalls: its tenants' reconciles fail in bounded time and say why, the queue keeps serving the other cluster, and all recover once it answers", async (t) => {
  const env = await faultEnv(t);
  const [a, b] = [env.name('a'), env.name('b')];
  const link = await env.link('cluster-a', testServers.mongoUris()[0] ?? '');
  await env.createMongoClusterAt(a, through(testServers.mongoUris()[0] ?? '', link.address));
  await env.createMongoCluster(b, 1);
  // Two workers: stalled reconciles that held them would hold everything.
  await env.startOperator({
    concurrency: 2,
    clusterSocketTimeoutMs: FAULT_TIMEOUTS.CLUSTER_SOCKET_TIMEOUT_MS,
    backoff: { baseMs: 200, maxMs: 1_000 },
  });
  const first = env.name('a1');
  await env.createTenant(first, { displayName: 'A1', subdomain: first, placement: { clusterName: a } });
  await env.waitForTenant(first, isReady);

  await link.stall();
  const stalled = [2, 3, 4].map((i) => env.name(`a${i}`));
  for (const name of stalled) {
    await env.createTenant(name, { displayName: name, subdomain: name, placement: { clusterName: a } });
  }
  const other = env.name('b1');
  await env.createTenant(other, { displayName: 'B1', subdomain: other, placement: { clusterName: b } });
  await env.waitForTenant(other, isReady);
  for (const name of stalled) {
    const reported = await env.waitForTenant(name, notReadyWith(['ClusterUnreachable', 'MigrationFailed']));
    t.regex(condition(reported, 'Ready')?.message ?? '', new RegExp(a), `${name}: names the cluster`);
  }

  await link.heal();
  for (const name of stalled) {
    await env.waitForTenant(name, isReady, 90_000);
    t.like(
      await env.registry.get(name),
      { status: 'active', cluster: a },
      `${name} served once the cluster answered`,
    );
  }
});

test('a registry that stalls: a new tenant is reported RegistryUnavailable in bounded time and retried, and becomes Ready once it answers', async (t) => {
  const env = await faultEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const link = await env.link('registry', testServers.mongoUris()[0] ?? '');
  await env.startOperator({ registry: env.registryThrough(link), backoff: { baseMs: 200, maxMs: 1_000 } });
  const first = env.name('before');
  await env.createTenant(first, { displayName: 'Before', subdomain: first });
  await env.waitForTenant(first, isReady);

  await link.stall();
  const name = env.name('during');
  await env.createTenant(name, { displayName: 'During', subdomain: name });
  const reported = await env.waitForTenant(name, notReadyWith(['RegistryUnavailable']));
  t.like(condition(reported, 'Claimed'), { status: 'False', reason: 'RegistryUnavailable' });
  t.like(condition(reported, 'Stalled'), { status: 'False' }, 'retried, not waiting for a human');

  await link.heal();
  await env.waitForTenant(name, isReady, 90_000);
  t.like(await env.registry.get(name), { status: 'active' });
});

test('Redis down: tenants are still provisioned; the invalidations Redis could not take are published once it is back', async (t) => {
  const env = await faultEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const link = await env.link('redis', testServers.redisUrl());
  const operator = await env.startOperator({ redis: env.redisThrough(link) });
  const subscriber = new Redis(testServers.redisUrl());
  t.teardown(() => subscriber.disconnect());
  const received: string[] = [];
  subscriber.on('message', (_channel: string, raw: string) =>
    received.push((JSON.parse(raw) as { id: string }).id),
  );
  await subscriber.subscribe(INVALIDATION_CHANNEL);

  await link.disable();
  const name = env.name('quiet');
  await env.createTenant(name, { displayName: 'Quiet', subdomain: name });
  await env.waitForTenant(name, isReady);
  t.false(received.includes(name), 'nothing published while Redis was down');
  const pending = async () =>
    (await operator.metricsRegistry.getSingleMetric('atrium_operator_invalidations_pending')?.get())
      ?.values[0]?.value ?? 0;
  t.true((await pending()) > 0, 'kept for later');

  await link.enable();
  await eventually('the kept invalidation published', () => received.includes(name), Boolean, {
    timeoutMs: 60_000,
  });
  // Published, then counted out: the gauge follows the outbox, a moment later.
  await eventually('nothing left pending', pending, (n) => n === 0, { timeoutMs: 10_000 });
  t.is(await pending(), 0);
});
