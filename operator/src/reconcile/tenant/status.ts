import { isDeepStrictEqual } from 'node:util';
import { applyCustomObjectStatus } from '../../kube/clients.ts';
import type { EventType } from '../../kube/events.ts';
import type { Condition } from '../../resources/condition.ts';
import {
  API_VERSION,
  type MoveStatus,
  type Tenant,
  type TenantPhase,
  type TenantStatusBlock,
} from '../../resources/tenant.ts';
import { type ConditionInput, ConditionType, mergeConditions, Reason } from '../conditions.ts';
import type { StepFailure } from '../step-failure.ts';
import type { PassOutcome } from './outcome.ts';
import type { TenantScope } from './scope.ts';

/** The step conditions that must all be True for a Tenant to be Ready. */
export const STEP_CONDITIONS: readonly ConditionType[] = [
  ConditionType.Claimed,
  ConditionType.Placed,
  ConditionType.DatabaseReady,
  ConditionType.UserReady,
  ConditionType.AdminSeeded,
  ConditionType.SecretReady,
  ConditionType.RegistrySynced,
];

/**
 * The Tenant's status after a pass of the steps: kstatus's Ready, Reconciling and Stalled from
 * the step conditions and the blocker, the phase, and what the steps produced. Pure: the same
 * pass over the same tenant gives the same object, so a converged tenant's status never changes.
 */
export function computeTenantStatus(
  tenant: Tenant,
  pass: PassOutcome,
  now: Date,
  phaseOverride?: TenantPhase,
): TenantStatusBlock {
  const generation = tenant.metadata.generation;
  const byType = new Map(pass.conditions.map((c) => [c.type, c]));
  const blocker = pass.blocker;
  const stalled = blocker?.stalled ? blocker : null;
  const ready = !blocker && STEP_CONDITIONS.every((t) => byType.get(t)?.status === 'True');
  const suspended = tenant.spec.suspended;
  const cluster = pass.cluster ?? tenant.status?.cluster;
  const updates: ConditionInput[] = [
    ready
      ? {
          type: ConditionType.Ready,
          status: 'True',
          reason: suspended ? Reason.Suspended : Reason.Provisioned,
          message: suspended
            ? 'tenant is suspended: its data is kept and the API answers 403'
            : `tenant is provisioned on ${pass.cluster} and registered`,
        }
      : {
          type: ConditionType.Ready,
          status: 'False',
          reason: blocker?.reason ?? Reason.Progressing,
          message: blocker?.message ?? 'provisioning',
        },
    ready
      ? {
          type: ConditionType.Reconciling,
          status: 'False',
          reason: Reason.Converged,
          message: 'nothing left to do',
        }
      : {
          type: ConditionType.Reconciling,
          status: 'True',
          reason: stalled ? Reason.Pending : Reason.Progressing,
          message: stalled ? 'waiting for the blocker to be resolved' : 'working towards the desired state',
        },
    stalledCondition(stalled),
  ];
  const moved = byType.get(ConditionType.Moved);
  if (moved) updates.push(moved);
  if (pass.credentials) updates.push(rotatingCondition(pass.credentials.rotating));
  for (const type of STEP_CONDITIONS) {
    updates.push(
      byType.get(type) ?? { type, status: 'Unknown', reason: Reason.Pending, message: 'not reached yet' },
    );
  }
  const phase: TenantPhase =
    phaseOverride ??
    (ready
      ? suspended
        ? 'Suspended'
        : 'Ready'
      : stalled
        ? 'Failed'
        : pass.cluster
          ? 'Provisioning'
          : 'Pending');
  const database = pass.database ?? tenant.status?.database;
  const schemaVersion = pass.schemaVersion ?? tenant.status?.schemaVersion;
  const secretName = pass.secretName ?? tenant.status?.secretName;
  const adminSecretName = pass.adminSecretName ?? tenant.status?.adminSecretName;
  return {
    observedGeneration: generation,
    phase,
    ...(cluster ? { cluster } : {}),
    ...(database ? { database } : {}),
    ...(schemaVersion !== undefined ? { schemaVersion } : {}),
    ...(secretName ? { secretName } : {}),
    ...(adminSecretName ? { adminSecretName } : {}),
    ...(pass.move ? { move: pass.move } : {}),
    ...(pass.signingKey
      ? {
          signingKeys: {
            current: pass.signingKey.kid,
            ...(pass.signingKey.rotatedAt ? { rotatedAt: pass.signingKey.rotatedAt.toISOString() } : {}),
          },
        }
      : {}),
    ...(pass.credentials
      ? {
          credentials: {
            current: pass.credentials.current,
            ...(pass.credentials.rotatedAt ? { rotatedAt: pass.credentials.rotatedAt.toISOString() } : {}),
            ...(pass.credentials.previousRevokedAt
              ? { previousRevokedAt: pass.credentials.previousRevokedAt.toISOString() }
              : {}),
          },
        }
      : {}),
    conditions: mergeConditions(tenant.status?.conditions, updates, generation, now),
  };
}

/**
 * The Tenant's status while a move runs: phase Moving, Ready False, the step conditions as they
 * were, the cluster, database and move as the provisioning record has them. A failure is reported
 * on Ready and Moved; a stalled one (a human must act) on Stalled too.
 */
export function computeMoveStatus(
  tenant: Tenant,
  state: { readonly cluster: string | null; readonly database: string; readonly move: MoveStatus | null },
  now: Date,
  failure?: StepFailure,
): TenantStatusBlock {
  const move = state.move ?? {};
  const message = failure
    ? failure.message
    : `moving from ${move.fromCluster} to ${move.toCluster}: ${move.phase?.toLowerCase() ?? 'starting'}`;
  const reason = failure ? failure.reason : Reason.MoveInProgress;
  const stalled = failure?.stalled ? failure : null;
  const overrides: ConditionInput[] = [
    { type: ConditionType.Ready, status: 'False', reason, message },
    stalled
      ? {
          type: ConditionType.Reconciling,
          status: 'True',
          reason: Reason.Pending,
          message: 'waiting for the blocker to be resolved',
        }
      : { type: ConditionType.Reconciling, status: 'True', reason: Reason.Progressing, message },
    stalledCondition(stalled),
    { type: ConditionType.Moved, status: 'False', reason, message },
  ];
  const kept = (tenant.status?.conditions ?? [])
    .filter((c) => !overrides.some((o) => o.type === c.type))
    .map((c: Condition) => ({
      type: c.type as ConditionType,
      status: c.status,
      reason: c.reason as Reason,
      message: c.message,
    }));
  const generation = tenant.metadata.generation;
  return {
    ...tenant.status,
    ...(state.cluster ? { cluster: state.cluster } : {}),
    database: state.database,
    observedGeneration: generation,
    phase: 'Moving',
    move,
    conditions: mergeConditions(tenant.status?.conditions, [...overrides, ...kept], generation, now),
  };
}

/** kstatus-style: True only while a rotation runs, so a converged tenant's status does not change. */
function rotatingCondition(rotating: boolean): ConditionInput {
  return rotating
    ? {
        type: ConditionType.Rotating,
        status: 'True',
        reason: Reason.CredentialRotation,
        message: 'the database credentials are being rotated; both work until the previous is revoked',
      }
    : {
        type: ConditionType.Rotating,
        status: 'False',
        reason: Reason.NoRotation,
        message: 'no rotation under way',
      };
}

function stalledCondition(stalled: StepFailure | null): ConditionInput {
  return stalled
    ? { type: ConditionType.Stalled, status: 'True', reason: stalled.reason, message: stalled.message }
    : { type: ConditionType.Stalled, status: 'False', reason: Reason.NoBlocker, message: 'no blocker' };
}

/**
 * The one writer of Tenant status (server-side apply to the status subresource). Writes only
 * when something changed; returns the Tenant as it now is. With `readyEvent`, a change of the
 * Ready condition is told in an Event (Normal when it became True or is progressing, else Warning).
 */
export async function writeTenantStatus(
  scope: TenantScope,
  tenant: Tenant,
  status: TenantStatusBlock,
  options: { readyEvent?: boolean } = {},
): Promise<Tenant> {
  if (isDeepStrictEqual(normaliseStatus(tenant.status), normaliseStatus(status))) return tenant;
  await applyCustomObjectStatus(scope.deps.kube, scope.ref.resource, {
    apiVersion: API_VERSION,
    kind: 'Tenant',
    metadata: { name: tenant.metadata.name, namespace: tenant.metadata.namespace },
    status,
  });
  const written: Tenant = { ...tenant, status };
  if (options.readyEvent) {
    const was = tenant.status?.conditions?.find((c) => c.type === ConditionType.Ready);
    const now = status.conditions?.find((c) => c.type === ConditionType.Ready);
    if (now && (was?.status !== now.status || was?.reason !== now.reason)) {
      const type: EventType =
        now.status === 'True' || now.reason === Reason.Progressing ? 'Normal' : 'Warning';
      await scope.event(type, now.reason, now.message);
    }
  }
  return written;
}

function normaliseStatus(status: TenantStatusBlock | undefined): unknown {
  if (!status) return {};
  const { conditions, ...rest } = status;
  const sorted = [...(conditions ?? [])].sort((a, b) => a.type.localeCompare(b.type));
  return { ...rest, conditions: sorted.map((c) => ({ ...c })) };
}
