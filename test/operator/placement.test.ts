import test from 'ava';
import { type ClusterCandidate, placeTenant } from '../../operator/src/placement/place-tenant.ts';

const cluster = (name: string, overrides: Partial<ClusterCandidate> = {}): ClusterCandidate => ({
  name,
  labels: {},
  capacity: 100,
  cordoned: false,
  weight: 100,
  reachable: true,
  tenantCount: 0,
  ...overrides,
});

test('the least loaded eligible cluster wins, by share of capacity, not by raw count', (t) => {
  const decision = placeTenant({}, [
    cluster('big', { capacity: 1000, tenantCount: 300 }),
    cluster('small', { capacity: 10, tenantCount: 5 }),
  ]);
  t.like(decision, { placed: true, cluster: 'big', reason: 'LeastLoaded' });
  t.regex(decision.message, /least loaded of 2 eligible/);
});

test('cordoned, unreachable and full clusters are skipped', (t) => {
  const decision = placeTenant({}, [
    cluster('a', { cordoned: true }),
    cluster('b', { reachable: false }),
    cluster('c', { capacity: 3, tenantCount: 3 }),
    cluster('d', { tenantCount: 90 }),
  ]);
  t.like(decision, { placed: true, cluster: 'd' });
});

test('labels select the eligible clusters', (t) => {
  const clusters = [
    cluster('us-1', { labels: { region: 'us' } }),
    cluster('eu-1', { labels: { region: 'eu', tier: 'gold' }, tenantCount: 50 }),
    cluster('eu-2', { labels: { region: 'eu' }, tenantCount: 10 }),
  ];
  t.like(placeTenant({ matchLabels: { region: 'eu' } }, clusters), { placed: true, cluster: 'eu-2' });
  t.like(placeTenant({ matchLabels: { region: 'eu', tier: 'gold' } }, clusters), {
    placed: true,
    cluster: 'eu-1',
  });
  const none = placeTenant({ matchLabels: { region: 'ap' } }, clusters);
  t.like(none, { placed: false, reason: 'NoEligibleCluster' });
  t.regex(none.message, /no MongoCluster carries the labels region=ap/);
});

test('ties go to the heavier weight, then the fewer tenants, then the name', (t) => {
  t.like(placeTenant({}, [cluster('a'), cluster('b', { weight: 200 })]), { cluster: 'b' });
  t.like(
    placeTenant({}, [
      cluster('a', { capacity: null, tenantCount: 0 }),
      cluster('b', { capacity: 1000, tenantCount: 0 }),
    ]),
    { cluster: 'a' },
  );
  t.like(placeTenant({}, [cluster('b'), cluster('a')]), { cluster: 'a' });
});

test('an unlimited cluster is compared at a nominal capacity', (t) => {
  const clusters = [
    cluster('unlimited', { capacity: null, tenantCount: 500 }),
    cluster('small', { capacity: 10, tenantCount: 4 }),
  ];
  t.like(placeTenant({}, clusters), { cluster: 'small' });
  t.like(placeTenant({}, clusters, { nominalCapacity: 10_000 }), { cluster: 'unlimited' });
});

test('a pinned cluster is used when it can take the tenant, and refused with the reason when not', (t) => {
  t.like(placeTenant({ clusterName: 'b' }, [cluster('a'), cluster('b', { tenantCount: 99 })]), {
    placed: true,
    cluster: 'b',
    reason: 'Pinned',
  });
  t.like(placeTenant({ clusterName: 'x' }, [cluster('a')]), { placed: false, reason: 'ClusterNotFound' });
  t.like(placeTenant({ clusterName: 'a' }, [cluster('a', { cordoned: true })]), {
    placed: false,
    reason: 'ClusterCordoned',
  });
  const full = placeTenant({ clusterName: 'a' }, [cluster('a', { capacity: 2, tenantCount: 2 })]);
  t.like(full, { placed: false, reason: 'ClusterFull' });
  t.regex(full.message, /full \(2 of 2 tenants\)/);
  t.like(placeTenant({ clusterName: 'a' }, [cluster('a', { reachable: false })]), {
    placed: false,
    reason: 'ClusterUnreachable',
  });
});

test('when nothing is eligible, the message counts why', (t) => {
  const decision = placeTenant({}, [
    cluster('a', { cordoned: true }),
    cluster('b', { cordoned: true }),
    cluster('c', { capacity: 0 }),
  ]);
  t.like(decision, { placed: false, reason: 'NoEligibleCluster' });
  t.is(decision.message, 'none of the 3 selected MongoCluster(s) can take a tenant: 2 cordoned, 1 full');
  t.like(placeTenant({}, []), { placed: false, message: 'no MongoCluster exists' });
});
