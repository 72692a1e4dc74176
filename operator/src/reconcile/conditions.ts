import type { Condition } from '../resources/condition.ts';

/**
 * Conditions and their reasons: a closed catalogue, so dashboards and alerts can rely on them.
 * Ready/Reconciling/Stalled follow kstatus; one condition per provisioning step says where a
 * tenant is. True reasons describe the state ("SchemaCurrent"), not the action that got there:
 * actions are Events, so a converged tenant's status never changes.
 */
export const ConditionType = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  Placed: 'Placed',
  DatabaseReady: 'DatabaseReady',
  UserReady: 'UserReady',
  AdminSeeded: 'AdminSeeded',
  SecretReady: 'SecretReady',
  RegistrySynced: 'RegistrySynced',
  /** True while a credential rotation is under way. */
  Rotating: 'Rotating',
  /** Whether this Tenant owns its tenant id (and with it the database, user and record). */
  Claimed: 'Claimed',
  /** Present while spec.move is set: whether the tenant runs on the cluster it was moved to. */
  Moved: 'Moved',
  Reachable: 'Reachable',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  // Ready / Reconciling / Stalled
  Provisioned: 'Provisioned',
  Suspended: 'Suspended',
  Progressing: 'Progressing',
  Converged: 'Converged',
  Deleting: 'Deleting',
  CleanupFailed: 'CleanupFailed',
  NoBlocker: 'NoBlocker',
  // Placement
  Pinned: 'Pinned',
  LeastLoaded: 'LeastLoaded',
  ClusterNotFound: 'ClusterNotFound',
  ClusterCordoned: 'ClusterCordoned',
  ClusterFull: 'ClusterFull',
  NamespaceNotAllowed: 'NamespaceNotAllowed',
  PlanNotAllowed: 'PlanNotAllowed',
  IsolationNotAllowed: 'IsolationNotAllowed',
  NoEligibleCluster: 'NoEligibleCluster',
  // Rotation
  CredentialRotation: 'CredentialRotation',
  NoRotation: 'NoRotation',
  // Ownership: every name has one owner Tenant
  Owned: 'Owned',
  TenantIdTaken: 'TenantIdTaken',
  SecretNotOwned: 'SecretNotOwned',
  // Steps
  Pending: 'Pending',
  ClusterUnreachable: 'ClusterUnreachable',
  SchemaCurrent: 'SchemaCurrent',
  MigrationFailed: 'MigrationFailed',
  CredentialsVerified: 'CredentialsVerified',
  UserProvisioningFailed: 'UserProvisioningFailed',
  AdminPresent: 'AdminPresent',
  NoAdminRequested: 'NoAdminRequested',
  AdminSeedFailed: 'AdminSeedFailed',
  SecretCurrent: 'SecretCurrent',
  SecretWriteFailed: 'SecretWriteFailed',
  RecordCurrent: 'RecordCurrent',
  SubdomainTaken: 'SubdomainTaken',
  RegistryWriteFailed: 'RegistryWriteFailed',
  RegistryUnavailable: 'RegistryUnavailable',
  // Moving to another cluster
  MoveInProgress: 'MoveInProgress',
  MoveTargetUnavailable: 'MoveTargetUnavailable',
  MoveFailed: 'MoveFailed',
  OnRequestedCluster: 'OnRequestedCluster',
  // MongoCluster
  ServerAnswered: 'ServerAnswered',
  ConnectionSecretMissing: 'ConnectionSecretMissing',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export interface ConditionInput {
  readonly type: ConditionType;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: Reason;
  readonly message: string;
}

/**
 * The conditions after `updates`: a condition whose status did not change keeps its
 * lastTransitionTime, so recomputing the same state yields the same object.
 */
export function mergeConditions(
  current: readonly Condition[] | undefined,
  updates: readonly ConditionInput[],
  generation: number,
  now: Date,
): Condition[] {
  const byType = new Map((current ?? []).map((c) => [c.type, c]));
  const result: Condition[] = [];
  for (const update of updates) {
    const previous = byType.get(update.type);
    result.push({
      type: update.type,
      status: update.status,
      observedGeneration: generation,
      lastTransitionTime:
        previous && previous.status === update.status ? previous.lastTransitionTime : now.toISOString(),
      reason: update.reason,
      message: update.message,
    });
  }
  return result;
}
