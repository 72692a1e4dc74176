import { generatePassword } from '../../../../../contract/src/tenant-db/index.ts';
import type { ClusterConnection } from '../../../provisioning/cluster-connections.ts';
import { buildTenantUri } from '../../../provisioning/connection-uri.ts';
import {
  credentialsWork,
  dropDatabaseUser,
  ensureDatabaseUser,
  userExists,
} from '../../../provisioning/database-user.ts';
import { databaseUserFor } from '../../../provisioning/names.ts';
import {
  type CredentialState,
  INITIAL_CREDENTIALS,
  type ProvisioningRecord,
  type UserSlot,
} from '../../../provisioning/provisioning-records.ts';
import { durationMs, ROTATE_CREDENTIALS_ANNOTATION, type Tenant } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { TenantScope } from '../scope.ts';

/**
 * Rotating a tenant's database credentials without downtime. A tenant has two database users that
 * alternate: the live one, whose credentials the connection Secret and the registry carry, and a
 * standby. A rotation (asked for with the `atrium.dev/rotate-credentials` annotation, or due by
 * `spec.credentials.rotateAfter`) goes through phases recorded in the provisioning record, so a
 * crash anywhere resumes it and never leaves the tenant without a working credential:
 *
 * 1. Preparing — a new password, sealed with the registry keyring, is recorded first; then the
 *    standby user gets it (created, or its password set).
 * 2. Publishing — the standby becomes the live user; this pass's user, Secret and registry steps
 *    hand its credentials out (dedicated API pools open a pool for the new URI).
 * 3. Overlapping — consumers move over (API caches expire, pods re-read the Secret) until
 *    `revokeAt` (CREDENTIAL_OVERLAP_MS after publishing); the previous user still works.
 * 4. The previous user is dropped: its password stops working, and status says when.
 *
 * A rotation asked for while another runs is not lost: its annotation value is acted on after.
 */
export const DEFAULT_OVERLAP_MS = 120_000;

export function credentialsOf(record: ProvisioningRecord): CredentialState {
  return record.credentials ?? INITIAL_CREDENTIALS;
}

const other = (slot: UserSlot): UserSlot => (slot === 'primary' ? 'secondary' : 'primary');
const sealContext = (tenantId: string) => ({
  record: `provisioning/${tenantId}`,
  field: 'rotation.password',
});

/** Why a rotation should start now: the annotation's new value, or the schedule (null); undefined: none. */
function rotationAsked(
  tenant: Tenant,
  record: ProvisioningRecord,
  now: number,
): { request: string | null } | undefined {
  const state = credentialsOf(record);
  const request = tenant.metadata.annotations?.[ROTATE_CREDENTIALS_ANNOTATION];
  if (request !== undefined && request !== '' && request !== state.handledRequest) return { request };
  const every = tenant.spec.credentials?.rotateAfter;
  if (!every) return undefined;
  const since = (state.rotatedAt ?? record.claimedAt).getTime();
  return now - since >= durationMs(every) ? { request: null } : undefined;
}

/** The live user: whose credentials the Secret and the registry must carry, and its password when known here. */
export interface LiveUser {
  readonly slot: UserSlot;
  readonly username: string;
  /** Known while a rotation publishes it (the Secret does not carry it yet); else the Secret's. */
  readonly password: string | undefined;
}

export async function liveUser(scope: TenantScope, record: ProvisioningRecord): Promise<LiveUser> {
  const state = credentialsOf(record);
  const rotation = state.rotation;
  const password =
    rotation && rotation.phase !== 'Preparing' && rotation.to === state.current
      ? await scope.deps.registry.unsealSecret(rotation.sealedPassword, sealContext(record._id))
      : undefined;
  return { slot: state.current, username: databaseUserFor(record._id, state.current), password };
}

/**
 * Before the user step: starts a rotation that is due, and prepares one that is preparing (the
 * standby user gets its new password; then it becomes the live user). Returns the record as it
 * now is.
 */
export async function prepareRotation(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  connection: ClusterConnection,
): Promise<ProvisioningRecord> {
  let current = record;
  let state = credentialsOf(current);
  const owner = scope.owner.uid;
  if (!state.rotation) {
    const asked = rotationAsked(tenant, current, scope.clock.now());
    if (!asked) return current;
    const sealedPassword = await scope.deps.registry.seal(generatePassword(), sealContext(current._id));
    state = {
      ...state,
      rotation: {
        request: asked.request,
        to: other(state.current),
        phase: 'Preparing',
        sealedPassword,
        startedAt: scope.clock.date(),
        revokeAt: null,
      },
    };
    current = await scope.deps.provisioning.setCredentials(current._id, owner, state);
    await scope.deps.afterStep?.('rotation-preparing', tenant);
    await scope.event(
      'Normal',
      'CredentialRotationStarted',
      asked.request === null
        ? 'rotating the database credentials, as scheduled'
        : 'rotating the database credentials, as asked',
    );
  }
  const rotation = state.rotation;
  if (rotation?.phase !== 'Preparing') return current;
  const username = databaseUserFor(current._id, rotation.to);
  try {
    const password = await scope.deps.registry.unsealSecret(
      rotation.sealedPassword,
      sealContext(current._id),
    );
    const uri = buildTenantUri({
      adminUri: connection.adminUri,
      hosts: connection.tenantHosts,
      username,
      password,
      database: current.database,
    });
    const exists = await userExists(connection.client, current.database, username);
    const works = exists && (await credentialsWork(uri));
    await ensureDatabaseUser(
      connection.client,
      { database: current.database, username, password, flavour: connection.info.flavour },
      { exists, passwordWorks: works },
    );
  } catch (error) {
    throw new StepFailure(
      ConditionType.UserReady,
      Reason.UserProvisioningFailed,
      `database user ${username}: ${safeMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  const published = await scope.deps.provisioning.setCredentials(current._id, owner, {
    ...state,
    current: rotation.to,
    rotation: { ...rotation, phase: 'Publishing' },
  });
  await scope.deps.afterStep?.('rotation-publishing', tenant);
  return published;
}

/**
 * After the registry step, once this pass handed the new credentials out: starts the overlap, or
 * ends it by dropping the previous user. Returns the record and how long until the rotation's
 * next phase is due (null: no rotation under way).
 */
export async function completeRotation(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  connection: ClusterConnection,
): Promise<{ record: ProvisioningRecord; dueInMs: number | null }> {
  const state = credentialsOf(record);
  const rotation = state.rotation;
  const now = scope.clock.now();
  if (!rotation) return { record, dueInMs: scheduledInMs(tenant, record, now) };
  if (rotation.phase === 'Preparing') return { record, dueInMs: null };
  const owner = scope.owner.uid;
  if (rotation.phase === 'Publishing') {
    const revokeAt = new Date(now + (scope.deps.credentialOverlapMs ?? DEFAULT_OVERLAP_MS));
    const updated = await scope.deps.provisioning.setCredentials(record._id, owner, {
      ...state,
      rotatedAt: scope.clock.date(),
      rotation: { ...rotation, phase: 'Overlapping', revokeAt },
    });
    await scope.deps.afterStep?.('rotation-overlapping', tenant);
    await scope.event(
      'Normal',
      'CredentialsPublished',
      `database user ${databaseUserFor(record._id, rotation.to)} is live; the previous one stops working at ${revokeAt.toISOString()}`,
    );
    return { record: updated, dueInMs: revokeAt.getTime() - now };
  }
  const left = (rotation.revokeAt?.getTime() ?? now) - now;
  if (left > 0) return { record, dueInMs: left };
  const previous = databaseUserFor(record._id, other(rotation.to));
  try {
    await dropDatabaseUser(connection.client, record.database, previous);
  } catch (error) {
    throw new StepFailure(
      ConditionType.UserReady,
      Reason.UserProvisioningFailed,
      `database user ${previous}: ${safeMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  const updated = await scope.deps.provisioning.setCredentials(record._id, owner, {
    current: state.current,
    rotatedAt: state.rotatedAt,
    previousRevokedAt: scope.clock.date(),
    handledRequest: rotation.request ?? state.handledRequest,
    rotation: null,
  });
  await scope.deps.afterStep?.('rotation-done', tenant);
  await scope.event('Normal', 'CredentialsRotated', `the previous database user ${previous} no longer works`);
  return { record: updated, dueInMs: null };
}

/** When the next scheduled rotation is due, from now (null: none scheduled). */
function scheduledInMs(tenant: Tenant, record: ProvisioningRecord, now: number): number | null {
  const every = tenant.spec.credentials?.rotateAfter;
  if (!every) return null;
  const since = (credentialsOf(record).rotatedAt ?? record.claimedAt).getTime();
  // Looked at again within the hour at most: schedules run to weeks, past what a timer holds.
  return Math.min(Math.max(0, since + durationMs(every) - now), 3_600_000);
}

/** The credentials as status shows them. */
export function credentialsView(record: ProvisioningRecord): {
  current: string;
  rotatedAt: Date | null;
  previousRevokedAt: Date | null;
  rotating: boolean;
} {
  const state = credentialsOf(record);
  return {
    current: databaseUserFor(record._id, state.current),
    rotatedAt: state.rotatedAt,
    previousRevokedAt: state.previousRevokedAt,
    rotating: state.rotation !== null,
  };
}
