import { isDeepStrictEqual } from 'node:util';
import {
  isRegistryError,
  type OwnerCondition,
  type SigningKey,
  type TenantInput,
  type TenantRecord,
} from '../../../../../contract/src/registry/index.ts';
import type { ProvisioningRecord } from '../../../provisioning/provisioning-records.ts';
import { type Tenant, tenantIdOf } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import type { TenantScope } from '../scope.ts';
import { desiredSigningKeys, signingKeysOf } from './signing-keys.ts';

/**
 * Every write the Tenant reconciler makes to the registry, named by what it means. Each is
 * conditional on the record's owner (TENANT_ID_TAKEN otherwise) and followed by an invalidation,
 * so API pods drop what they cached.
 */

/** Where a tenant's database is, and the URI with its own credentials. */
export interface RecordTarget {
  readonly cluster: string;
  readonly database: string;
  readonly dbURI: string | null;
}

/**
 * A new tenant gets a `provisioning` record before anything is created on its cluster: the API
 * answers 503 with Retry-After instead of 404, and a taken subdomain stops the tenant before it
 * costs a database. An existing record is left to `publishRecord`.
 */
export async function reserveRecord(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  cluster: string,
): Promise<void> {
  try {
    if (await scope.deps.registry.get(record._id)) return;
    const written = await scope.deps.registry.put({
      ...desiredRecord(scope, tenant, record, { cluster, database: record.database, dbURI: null }, null),
      status: 'provisioning',
    });
    await scope.announce(written);
  } catch (error) {
    throw registryFailure(tenant, error);
  }
}

/**
 * The record as the Tenant's spec and the provisioned database say: active or suspended. A record
 * still held by the owner this one adopted it from, or by none (written before owners were
 * recorded; the claim checked it is this Tenant's), passes to this Tenant — an adopted one with
 * new signing keys, so no token of the old owner's tenant works.
 */
export async function publishRecord(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  target: RecordTarget,
): Promise<StepOutcome & { signingKeys: SigningKey[] }> {
  const tenantId = record._id;
  try {
    const stored = await scope.deps.registry.get(tenantId);
    const previousOwner = stored?.owner?.uid ?? null;
    const handOver = stored !== null && previousOwner !== scope.owner.uid;
    const adopting = handOver && previousOwner !== null && previousOwner === record.adoptedFrom;
    const desired = desiredRecord(scope, tenant, record, target, stored, { freshKeys: adopting });
    if (!stored || handOver || !recordMatches(stored, desired)) {
      const condition: OwnerCondition = handOver ? { replacingOwner: previousOwner } : {};
      const written = await scope.deps.registry.put(desired, condition);
      await scope.announce(written, stored?.subdomain);
      if (stored?.status !== desired.status && desired.status === 'suspended') {
        scope.note('Suspended', 'registry record suspended; the API answers 403');
      } else if (stored?.status === 'suspended' && desired.status === 'active') {
        scope.note('Resumed', 'registry record active again');
      } else {
        scope.note(
          'RegistryUpdated',
          `registry record ${tenantId} written (generation ${written.generation})`,
        );
      }
    }
    if (record.adoptedFrom !== null) await scope.deps.provisioning.adopted(tenantId, scope.owner.uid);
    return {
      signingKeys: desired.signingKeys,
      condition: {
        type: ConditionType.RegistrySynced,
        status: 'True',
        reason: Reason.RecordCurrent,
        message: `registry record ${tenantId} is ${desired.status}`,
      },
    };
  } catch (error) {
    throw registryFailure(tenant, error);
  }
}

/**
 * The record says `moving` (the API answers 503), and every pod is told so — on every pass of
 * the drain and the copy, not only with the write: a pod that missed one message gets another.
 */
export async function markMoving(scope: TenantScope, tenant: Tenant): Promise<void> {
  const tenantId = tenantIdOf(tenant);
  try {
    const stored = await scope.deps.registry.get(tenantId);
    if (!stored) return;
    const written =
      stored.status === 'moving'
        ? stored
        : await scope.deps.registry.setStatus(
            tenantId,
            'moving',
            Math.max(tenant.metadata.generation, stored.generation),
            { ownerUid: scope.owner.uid },
          );
    await scope.announce(written);
  } catch (error) {
    throw registryFailure(tenant, error);
  }
}

/** A moved copy is complete: the record points at it, still `moving` until the switch is done. */
export async function pointAtCopy(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  target: RecordTarget,
): Promise<void> {
  try {
    const stored = await scope.deps.registry.get(tenantIdOf(tenant));
    const written = await scope.deps.registry.put({
      ...desiredRecord(scope, tenant, record, target, stored),
      status: 'moving',
    });
    await scope.announce(written);
  } catch (error) {
    throw registryFailure(tenant, error);
  }
}

/** deletionPolicy Retain: the record stays, marked deleted (the API answers 410). */
export async function retireRecord(scope: TenantScope, tenant: Tenant): Promise<void> {
  const tenantId = tenantIdOf(tenant);
  const stored = await scope.deps.registry.get(tenantId);
  if (!stored || stored.status === 'deleted' || stored.owner?.uid !== scope.owner.uid) return;
  const generation = Math.max(tenant.metadata.generation, stored.generation);
  await scope.deps.registry.setStatus(tenantId, 'deleted', generation, { ownerUid: scope.owner.uid });
  await scope.announce({ tenantId, generation, subdomain: stored.subdomain });
}

/** deletionPolicy Delete: the record goes, and with it the subdomain. */
export async function removeRecord(scope: TenantScope, tenant: Tenant): Promise<void> {
  const tenantId = tenantIdOf(tenant);
  const stored = await scope.deps.registry.get(tenantId);
  if (!stored || stored.owner?.uid !== scope.owner.uid) return;
  const generation = Math.max(tenant.metadata.generation, stored.generation);
  await scope.deps.registry.remove(tenantId, generation, { ownerUid: scope.owner.uid });
  await scope.announce({ tenantId, generation, subdomain: stored.subdomain });
}

export function registryFailure(tenant: Tenant, error: unknown): StepFailure {
  if (isRegistryError(error, 'SUBDOMAIN_TAKEN')) {
    return new StepFailure(
      ConditionType.RegistrySynced,
      Reason.SubdomainTaken,
      `subdomain ${tenant.spec.subdomain} is already used by another tenant`,
      { stalled: true, cause: error },
    );
  }
  if (isRegistryError(error, 'TENANT_ID_TAKEN')) {
    return new StepFailure(
      ConditionType.RegistrySynced,
      Reason.TenantIdTaken,
      `registry record ${tenantIdOf(tenant)} belongs to another Tenant`,
      { stalled: true, cause: error },
    );
  }
  return new StepFailure(
    ConditionType.RegistrySynced,
    Reason.RegistryWriteFailed,
    `registry: ${safeMessage(error)}`,
    {
      cause: error,
    },
  );
}

function desiredRecord(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  target: RecordTarget,
  stored: TenantRecord | null,
  options: { freshKeys?: boolean } = {},
): TenantInput {
  const keys = options.freshKeys ? [] : (stored?.signingKeys ?? []);
  return {
    tenantId: tenantIdOf(tenant),
    owner: scope.owner,
    subdomain: tenant.spec.subdomain,
    displayName: tenant.spec.displayName,
    corsOrigins: tenant.spec.cors?.allowedOrigins ?? [],
    plan: tenant.spec.plan,
    isolation: tenant.spec.isolation,
    status: tenant.spec.suspended ? 'suspended' : 'active',
    cluster: target.cluster,
    database: target.database,
    dbURI: target.dbURI,
    signingKeys: desiredSigningKeys(keys, signingKeysOf(record), scope.clock.date()),
    generation: Math.max(tenant.metadata.generation, stored?.generation ?? 0),
  };
}

/** Equal in everything but bookkeeping: a record that only lags in generation is left alone. */
function recordMatches(stored: TenantRecord, desired: TenantInput): boolean {
  const { updatedAt: _u, generation: _g, ...a } = stored;
  const { generation: _d, ...b } = desired;
  return isDeepStrictEqual(a, b);
}
