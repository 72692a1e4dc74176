import test from 'ava';
import { ConditionType, Reason } from '../../operator/src/reconcile/conditions.ts';
import { StepFailure } from '../../operator/src/reconcile/step-failure.ts';
import type { PassOutcome } from '../../operator/src/reconcile/tenant/outcome.ts';
import {
  computeMoveStatus,
  computeTenantStatus,
  STEP_CONDITIONS,
} from '../../operator/src/reconcile/tenant/status.ts';
import { Tenant } from '../../operator/src/resources/tenant.ts';

const now = new Date('2026-11-30T10:00:00.000Z');
const later = new Date('2026-11-30T11:00:00.000Z');

function tenant(status?: Tenant['status'], spec: Record<string, unknown> = {}): Tenant {
  return Tenant.parse({
    apiVersion: 'atrium.dev/v1alpha1',
    kind: 'Tenant',
    metadata: { name: 'acme', namespace: 'schools', uid: 'u-1', generation: 2, resourceVersion: '7' },
    spec: { displayName: 'Acme', subdomain: 'acme', ...spec },
    ...(status ? { status } : {}),
  });
}

const ok = (type: ConditionType) => ({
  type,
  status: 'True' as const,
  reason: Reason.Converged,
  message: `${type} ok`,
});
const allTrue = STEP_CONDITIONS.map(ok);
const converged: PassOutcome = {
  conditions: allTrue,
  blocker: null,
  cluster: 'c1',
  database: 'tenant_acme',
  secretName: 'acme-db',
  adminSecretName: undefined,
  move: undefined,
};
const condition = (status: Tenant['status'], type: string) =>
  status?.conditions?.find((c) => c.type === type);

test('every step True and no blocker: Ready, not Reconciling, not Stalled; the same pass later changes nothing', (t) => {
  const first = computeTenantStatus(tenant(), converged, now);
  t.is(first.phase, 'Ready');
  t.like(condition(first, 'Ready'), { status: 'True', reason: 'Provisioned', observedGeneration: 2 });
  t.like(condition(first, 'Reconciling'), { status: 'False', reason: 'Converged' });
  t.like(condition(first, 'Stalled'), { status: 'False', reason: 'NoBlocker' });
  t.like(first, { cluster: 'c1', database: 'tenant_acme', secretName: 'acme-db', observedGeneration: 2 });
  t.deepEqual(computeTenantStatus(tenant(first), converged, later), first, 'lastTransitionTime kept');
});

test('a suspended tenant is Ready with reason Suspended and phase Suspended', (t) => {
  const status = computeTenantStatus(tenant(undefined, { suspended: true }), converged, now);
  t.is(status.phase, 'Suspended');
  t.like(condition(status, 'Ready'), { status: 'True', reason: 'Suspended' });
});

test('a retried failure: Ready False with its reason, Reconciling, not Stalled; later steps Unknown', (t) => {
  const failure = new StepFailure(
    ConditionType.UserReady,
    Reason.UserProvisioningFailed,
    'database user: boom',
  );
  const pass: PassOutcome = {
    ...converged,
    conditions: [
      ok(ConditionType.Placed),
      ok(ConditionType.DatabaseReady),
      { type: ConditionType.UserReady, status: 'False', reason: failure.reason, message: failure.message },
    ],
    blocker: failure,
  };
  const status = computeTenantStatus(tenant(), pass, now);
  t.is(status.phase, 'Provisioning');
  t.like(condition(status, 'Ready'), { status: 'False', reason: 'UserProvisioningFailed' });
  t.like(condition(status, 'Reconciling'), { status: 'True', reason: 'Progressing' });
  t.like(condition(status, 'Stalled'), { status: 'False' });
  t.like(condition(status, 'SecretReady'), { status: 'Unknown', reason: 'Pending' });
});

test('a stalled blocker: phase Failed, Stalled True with its reason, Reconciling pending', (t) => {
  const stalled = new StepFailure(ConditionType.Placed, Reason.NoEligibleCluster, 'no MongoCluster exists', {
    stalled: true,
  });
  const status = computeTenantStatus(
    tenant(),
    { ...converged, conditions: [], blocker: stalled, cluster: undefined },
    now,
  );
  t.is(status.phase, 'Failed');
  t.like(condition(status, 'Stalled'), { status: 'True', reason: 'NoEligibleCluster' });
  t.like(condition(status, 'Reconciling'), { status: 'True', reason: 'Pending' });
  t.is(status.cluster, undefined);
});

test('a move: phase Moving, Ready False; a stalled move failure says Stalled True, a retried one not', (t) => {
  const ready = tenant(computeTenantStatus(tenant(), converged, now));
  const move = {
    fromCluster: 'c1',
    toCluster: 'c2',
    sourcePolicy: 'Retain' as const,
    phase: 'Copying' as const,
  };
  const state = { cluster: 'c1', database: 'tenant_acme', move };
  const moving = computeMoveStatus(ready, state, later);
  t.is(moving.phase, 'Moving');
  t.like(condition(moving, 'Ready'), { status: 'False', reason: 'MoveInProgress' });
  t.like(condition(moving, 'Stalled'), { status: 'False' });
  t.like(condition(moving, 'UserReady'), { status: 'True' }, 'step conditions kept');

  const sameServer = new StepFailure(ConditionType.Moved, Reason.MoveTargetUnavailable, 'same server', {
    stalled: true,
  });
  const stalled = computeMoveStatus(ready, state, later, sameServer);
  t.like(condition(stalled, 'Stalled'), { status: 'True', reason: 'MoveTargetUnavailable' });
  t.like(condition(stalled, 'Moved'), { status: 'False', reason: 'MoveTargetUnavailable' });

  const retried = computeMoveStatus(
    ready,
    state,
    later,
    new StepFailure(ConditionType.Moved, Reason.MoveFailed, 'copy failed'),
  );
  t.like(condition(retried, 'Stalled'), { status: 'False' });
  t.like(condition(retried, 'Ready'), { status: 'False', reason: 'MoveFailed' });
});
