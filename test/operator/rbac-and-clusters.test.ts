import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { isReady, operatorEnv } from './operator-fixtures.ts';

test('the operator ServiceAccount can do what its ClusterRole and Role grant and nothing more; its Lease only in its own namespace', async (t) => {
  const env = await operatorEnv(t);
  const review = env.operatorKubeConfig.makeApiClient(k8s.AuthorizationV1Api);
  const can = async (
    verb: string,
    resource: string,
    group = '',
    subresource?: string,
    namespace = env.namespace,
  ) => {
    const result = await review.createSelfSubjectAccessReview({
      body: {
        spec: {
          resourceAttributes: {
            verb,
            resource,
            group,
            namespace,
            ...(subresource ? { subresource } : {}),
          },
        },
      },
    });
    return result.status?.allowed === true;
  };
  for (const [verb, resource, group, sub] of [
    ['watch', 'tenants', 'atrium.dev'],
    ['patch', 'tenants', 'atrium.dev', 'status'],
    ['get', 'secrets', ''],
    ['create', 'secrets', ''],
    ['create', 'events', ''],
    ['update', 'leases', 'coordination.k8s.io'],
  ] as const) {
    t.true(await can(verb, resource, group, sub), `may ${verb} ${resource}${sub ? `/${sub}` : ''}`);
  }
  for (const [verb, resource, group] of [
    ['list', 'secrets', ''],
    ['delete', 'secrets', ''],
    ['delete', 'tenants', 'atrium.dev'],
    ['create', 'tenants', 'atrium.dev'],
    ['patch', 'mongoclusters', 'atrium.dev'],
    ['create', 'pods', ''],
    ['create', 'clusterrolebindings', 'rbac.authorization.k8s.io'],
  ] as const) {
    t.false(await can(verb, resource, group), `may not ${verb} ${resource}`);
  }
  for (const verb of ['get', 'create', 'update']) {
    t.false(
      await can(verb, 'leases', 'coordination.k8s.io', undefined, 'default'),
      `may not ${verb} leases outside its namespace`,
    );
  }
});

test('a MongoCluster reports flavour, version and tenant count in status and in the registry', async (t) => {
  const env = await operatorEnv(t);
  const cluster = env.name('c1');
  await env.createMongoCluster(cluster, 1, { capacity: 10, region: 'eu-west', labels: { tier: 'gold' } });
  await env.startOperator();
  for (const suffix of ['one', 'two']) {
    const name = env.name(suffix);
    await env.createTenant(name, {
      displayName: suffix,
      subdomain: name,
      placement: { clusterSelector: { matchLabels: { tier: 'gold' } } },
    });
  }
  await env.waitForTenant(env.name('one'), isReady);
  await env.waitForTenant(env.name('two'), isReady);
  const polling = { timeoutMs: 20_000, intervalMs: 200 };
  type ClusterStatus = {
    tenantCount?: number;
    flavour?: string;
    serverVersion?: string;
    reachable?: boolean;
  };
  const status = await eventually(
    `MongoCluster ${cluster} counting two tenants`,
    async () => {
      const mc = (await env.custom.getClusterCustomObject({
        group: 'atrium.dev',
        version: 'v1alpha1',
        plural: 'mongoclusters',
        name: cluster,
      })) as { status?: ClusterStatus };
      return mc.status ?? {};
    },
    (status) => status.tenantCount === 2,
    polling,
  );
  t.like(status, { tenantCount: 2, reachable: true, flavour: testServers.mongoFlavour() });
  t.regex(status.serverVersion ?? '', /^\d+\.\d+/);
  const record = await eventually(
    `registry record of ${cluster} counting two tenants`,
    () => env.registry.getCluster(cluster),
    (record) => record?.tenantCount === 2,
    polling,
  );
  t.like(record, {
    name: cluster,
    tenantCount: 2,
    capacity: 10,
    region: 'eu-west',
    reachable: true,
    cordoned: false,
  });
  t.deepEqual(record?.labels, { tier: 'gold' }, 'spec.labels, not the resource labels');
});

test('a cordoned cluster takes no new tenants; the tenant waits, stalled, and is placed once uncordoned', async (t) => {
  const env = await operatorEnv(t);
  const cluster = env.name('c1');
  await env.createMongoCluster(cluster, 0, { cordoned: true });
  await env.startOperator();
  const name = env.name('waits');
  await env.createTenant(name, { displayName: 'Waits', subdomain: name });
  const stalled = await env.waitForTenant(
    name,
    (x) => x.status?.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True') ?? false,
  );
  t.is(stalled.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'NoEligibleCluster');
  t.regex(stalled.status?.conditions?.find((c) => c.type === 'Stalled')?.message ?? '', /1 cordoned/);
  t.is(stalled.status?.phase, 'Failed');
  await env.custom.patchClusterCustomObject(
    {
      group: 'atrium.dev',
      version: 'v1alpha1',
      plural: 'mongoclusters',
      name: cluster,
      body: { spec: { cordoned: false } },
    },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  const ready = await env.waitForTenant(name, isReady);
  t.is(ready.status?.cluster, cluster);
});
