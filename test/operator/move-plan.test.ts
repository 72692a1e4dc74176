import test from 'ava';
import type { ClusterCandidate } from '../../operator/src/placement/place-tenant.ts';
import { moveTargetRefusal, planMove } from '../../operator/src/reconcile/tenant/move/plan.ts';
import type { MoveStatus } from '../../operator/src/resources/tenant.ts';

const wants = (toCluster: string) => ({ move: { toCluster, sourcePolicy: 'Retain' as const } });
const at = (cluster: string, move?: MoveStatus) => ({ cluster, ...(move ? { move } : {}) });
const phase = (p: MoveStatus['phase'], fromCluster = 'a', toCluster = 'b'): MoveStatus => ({
  fromCluster,
  toCluster,
  sourcePolicy: 'Retain',
  phase: p,
});

test('planMove: what to do, from spec and status alone', (t) => {
  const table: Array<[string, Parameters<typeof planMove>, ReturnType<typeof planMove>['action']]> = [
    ['nothing asked', [{}, at('a')], 'none'],
    ['not placed yet', [wants('b'), undefined], 'none'],
    ['already there', [wants('a'), at('a')], 'none'],
    ['done earlier', [wants('b'), at('b', phase('Done'))], 'none'],
    ['a new move', [wants('b'), at('a')], 'start'],
    ['asked again after an abandon', [wants('b'), at('a', phase('Abandoned'))], 'start'],
    ['draining, still wanted', [wants('b'), at('a', phase('Draining'))], 'resume'],
    ['copying, still wanted', [wants('b'), at('a', phase('Copying'))], 'resume'],
    ['draining, withdrawn', [{}, at('a', phase('Draining'))], 'abandon'],
    ['copying, retargeted', [wants('c'), at('a', phase('Copying'))], 'abandon'],
    ['switching is committed, even withdrawn', [{}, at('a', phase('Switching'))], 'resume'],
    ['switching is committed, even retargeted', [wants('c'), at('a', phase('Switching'))], 'resume'],
  ];
  for (const [why, args, action] of table) t.is(planMove(...args).action, action, why);
});

test('planMove: a new move starts from the cluster the tenant is on, with the policy asked for', (t) => {
  const plan = planMove({ move: { toCluster: 'b', sourcePolicy: 'Delete' } }, at('a'));
  t.deepEqual(plan, { action: 'start', move: { fromCluster: 'a', toCluster: 'b', sourcePolicy: 'Delete' } });
  const resumed = planMove(wants('b'), at('a', phase('Copying')));
  t.deepEqual(resumed, { action: 'resume', move: phase('Copying') });
});

test('moveTargetRefusal: a target must exist, take tenants, and be another server', (t) => {
  const target = (over: Partial<ClusterCandidate> = {}): ClusterCandidate => ({
    name: 'b',
    labels: {},
    capacity: null,
    cordoned: false,
    weight: 100,
    reachable: true,
    tenantCount: 3,
    ...over,
  });
  t.is(moveTargetRefusal('b', target(), undefined), null);
  t.regex(moveTargetRefusal('b', undefined, undefined) ?? '', /no such MongoCluster/);
  t.regex(moveTargetRefusal('b', target({ cordoned: true }), undefined) ?? '', /cordoned/);
  t.regex(moveTargetRefusal('b', target({ reachable: false }), undefined) ?? '', /unreachable/);
  t.regex(moveTargetRefusal('b', target({ capacity: 3 }), undefined) ?? '', /full \(3\/3\)/);
  t.is(moveTargetRefusal('b', target({ capacity: 4 }), undefined), null);
  t.regex(moveTargetRefusal('b', target(), 'a') ?? '', /same server as a/);
});
