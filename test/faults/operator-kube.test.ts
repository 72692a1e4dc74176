import test from 'ava';
import { Operator } from '../../operator/src/controller.ts';
import { LeaderElector } from '../../operator/src/kube/leader-election.ts';
import { OperatorReplica } from '../../operator/src/replica.ts';
import { eventually } from '../harness/eventually.ts';
import { isReady } from '../operator/operator-fixtures.ts';
import { faultEnv } from './operator-fixtures.ts';

/** The operator's informer list counts, by informer, from its metrics. */
async function listCounts(operator: Operator): Promise<Record<string, number>> {
  const metric = await operator.metricsRegistry
    .getSingleMetric('atrium_operator_informer_lists_total')
    ?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.informer), v.value]));
}

test('the API server gone and back: informers resume from their resourceVersion without listing, no change is missed, nothing is provisioned twice', async (t) => {
  const env = await faultEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const link = await env.link('kube', env.operatorKubeConfig.getCurrentCluster()?.server ?? '');
  const operator = await env.startOperator({
    kubeConfig: env.kubeConfigThrough(link),
    kubeRequestTimeoutMs: 1_500,
    backoff: { baseMs: 200, maxMs: 1_000 },
  });
  const first = env.name('before');
  await env.createTenant(first, {
    displayName: 'Before',
    subdomain: first,
    admin: { email: 'a@before.example' },
  });
  await env.waitForTenant(first, isReady);
  const before = await listCounts(operator);
  const firstRecord = await env.registry.get(first);

  // The API server is unreachable for a while; a Tenant is created meanwhile (by someone else).
  await link.disable();
  const second = env.name('during');
  await env.createTenant(second, { displayName: 'During', subdomain: second });
  await eventually(
    'the tenants watch noticed the outage',
    () => env.logLines.filter((l) => l.includes('"informer":"tenants"') && l.includes('watch failed')).length,
    (n) => n >= 2,
    { timeoutMs: 30_000 },
  );
  await link.enable();

  await env.waitForTenant(second, isReady);
  t.deepEqual(await listCounts(operator), before, 'no informer listed again: each resumed its watch');
  t.true(
    env.logLines.some((l) => l.includes('resuming from the last resourceVersion')),
    'the resumption is logged',
  );
  // The first tenant was not touched again: same record, one administrator.
  t.deepEqual(await env.registry.get(first), firstRecord);
  const admins = await env.mongo
    .db(firstRecord?.database ?? '')
    .collection('accounts')
    .countDocuments({ role: 'admin' });
  t.is(admins, 1);
});

test('an API server that stalls: the leader cut off from it steps down before its lease can expire, and the other replica takes over and reconciles', async (t) => {
  const env = await faultEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const link = await env.link('kube', env.operatorKubeConfig.getCurrentCluster()?.server ?? '');
  const leaseDurationMs = 4_000;
  const replica = (identity: string, kubeConfig = env.operatorKubeConfig) =>
    new OperatorReplica({
      logger: env.logger,
      elector: new LeaderElector({
        kubeConfig,
        namespace: env.namespace,
        name: 'atrium-operator',
        identity,
        leaseDurationMs,
        renewDeadlineMs: 2_500,
        retryMs: 250,
        logger: env.logger,
      }),
      createOperator: () =>
        new Operator({
          kubeConfig,
          registry: env.registry,
          redis: env.redis,
          logger: env.logger,
          watchNamespace: env.namespace,
          mongoClusterSelector: `atrium.dev/test=${env.clusterLabel}`,
          backoff: { baseMs: 100, maxMs: 1_000 },
          kubeRequestTimeoutMs: 1_000,
        }),
    });
  const cutOff = replica('cut-off', env.kubeConfigThrough(link));
  const healthy = replica('healthy');
  t.teardown(async () => {
    await link.heal();
    await cutOff.stop();
    await healthy.stop();
  });
  cutOff.start();
  await eventually('the cut-off replica leads', () => cutOff.isLeader, Boolean, { timeoutMs: 30_000 });
  healthy.start();

  let overlap = false;
  const watch = setInterval(() => {
    if (cutOff.isLeader && healthy.isLeader) overlap = true;
  }, 20);
  t.teardown(() => clearInterval(watch));

  await link.stall();
  await eventually('the healthy replica leads', () => healthy.isLeader, Boolean, {
    timeoutMs: leaseDurationMs + 20_000,
  });
  t.false(cutOff.isLeader, 'the cut-off leader stepped down');
  t.false(overlap, 'never two leaders at once');

  const name = env.name('after');
  await env.createTenant(name, { displayName: 'After', subdomain: name });
  await env.waitForTenant(name, isReady);
});
