import test from 'ava';
import { eventually } from '../harness/eventually.ts';
import { condition, isReady } from '../operator/operator-fixtures.ts';
import { securityEnv, stalledWith } from './fixtures.ts';

/**
 * Which MongoCluster a namespace may use, and with which plan and isolation, is the platform
 * team's decision (MongoCluster.spec.allowedTenants), not the Tenant's: a namespace user asking
 * for more — by pinning, by selecting, by moving, or by raising its plan — is refused with a
 * condition, and nothing is created or changed on the cluster it may not use.
 */
test('a namespace may not place, pin, move or upgrade a Tenant onto what its MongoClusters do not grant it', async (t) => {
  const env = await securityEnv(t);
  const [open, gold] = [env.name('open'), env.name('gold')];
  // `open` takes everyone on the free and standard plans; `gold` only namespaces labelled tier=gold,
  // and not dedicated pools.
  await env.createMongoCluster(open, 0, { allowedTenants: { plans: ['free', 'standard'] } });
  await env.createMongoCluster(gold, 1, {
    allowedTenants: {
      namespaces: { from: 'Selector', selector: { matchLabels: { 'atrium.dev/tier': 'gold' } } },
      isolation: ['shared'],
    },
  });
  await env.startOperator({
    watchNamespace: undefined,
    tenantSelector: `atrium.dev/test=${env.clusterLabel}`,
  });
  const school = await env.otherNamespace('school');
  const premium = await env.otherNamespace('premium', { 'atrium.dev/tier': 'gold' });

  // Pinning a cluster that does not take the namespace.
  const pinned = env.name('pin');
  await school.createTenant(pinned, {
    displayName: 'Pin',
    subdomain: pinned,
    placement: { clusterName: gold },
  });
  const refused = await stalledWith(school, pinned, 'NamespaceNotAllowed');
  t.like(condition(refused, 'Placed'), { status: 'False', reason: 'NamespaceNotAllowed' });
  t.is(await env.registry.get(pinned), null, 'nothing registered');

  // Selecting: only clusters that grant the request are candidates.
  const enterprise = env.name('ent');
  await school.createTenant(enterprise, { displayName: 'Ent', subdomain: enterprise, plan: 'enterprise' });
  const none = await stalledWith(school, enterprise, 'NoEligibleCluster');
  t.regex(condition(none, 'Placed')?.message ?? '', /not serving this plan/);
  t.regex(condition(none, 'Placed')?.message ?? '', /not open to this namespace/);

  // A granted namespace gets the cluster; its dedicated Tenant does not.
  const ok = env.name('ok');
  await premium.createTenant(ok, { displayName: 'Ok', subdomain: ok, placement: { clusterName: gold } });
  const placed = await eventually(`${ok} Ready`, () => premium.getTenant(ok), isReady, { timeoutMs: 60_000 });
  t.is(placed.status?.cluster, gold);
  const dedicated = env.name('ded');
  await premium.createTenant(dedicated, {
    displayName: 'Ded',
    subdomain: dedicated,
    isolation: 'dedicated',
    placement: { clusterName: gold },
  });
  await stalledWith(premium, dedicated, 'IsolationNotAllowed');

  // Moving a Tenant of an ungranted namespace onto `gold`: refused, it stays where it is.
  const stay = env.name('stay');
  await school.createTenant(stay, { displayName: 'Stay', subdomain: stay });
  await eventually(`${stay} Ready`, () => school.getTenant(stay), isReady, { timeoutMs: 60_000 });
  await env.custom.patchNamespacedCustomObject(
    {
      group: 'atrium.dev',
      version: 'v1alpha1',
      namespace: school.namespace,
      plural: 'tenants',
      name: stay,
      body: { spec: { move: { toCluster: gold } } },
    },
    (await import('@kubernetes/client-node')).setHeaderOptions(
      'Content-Type',
      'application/merge-patch+json',
    ),
  );
  const notMoved = await eventually(
    `${stay} move refused`,
    () => school.getTenant(stay),
    (x) => condition(x, 'Moved')?.reason === 'MoveTargetUnavailable',
    { timeoutMs: 60_000 },
  );
  t.regex(condition(notMoved, 'Moved')?.message ?? '', /does not take Tenants of namespace/);
  t.like(await env.registry.get(stay), { cluster: open, status: 'active' });

  // Raising the plan beyond what its cluster serves: refused, and the record keeps serving the old one.
  await env.custom.patchNamespacedCustomObject(
    {
      group: 'atrium.dev',
      version: 'v1alpha1',
      namespace: school.namespace,
      plural: 'tenants',
      name: stay,
      body: { spec: { move: null, plan: 'enterprise' } },
    },
    (await import('@kubernetes/client-node')).setHeaderOptions(
      'Content-Type',
      'application/merge-patch+json',
    ),
  );
  await stalledWith(school, stay, 'PlanNotAllowed');
  t.like(await env.registry.get(stay), { plan: 'standard', cluster: open, status: 'active' });
});
