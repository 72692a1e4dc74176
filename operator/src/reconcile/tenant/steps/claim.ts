import type { TenantRecord } from '../../../../../contract/src/registry/index.ts';
import { readSecretValue } from '../../../provisioning/connection-secret.ts';
import { databaseNameFor } from '../../../provisioning/names.ts';
import type { ProvisioningRecord } from '../../../provisioning/provisioning-records.ts';
import { type Tenant, tenantIdOf } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import type { TenantScope } from '../scope.ts';
import { connectionSecretOf } from './secret.ts';

export interface Claim extends StepOutcome {
  /** The provisioning record this Tenant owns: the source of its cluster, database and move. */
  readonly record: ProvisioningRecord;
}

/**
 * Claims the tenant id for this Tenant object — and with it the subdomain, database, database user
 * and registry record — or finds it claimed by this Tenant already. Ids are cluster-wide, first
 * come first served: a second Tenant asking for a taken id (from any namespace, by name or by
 * spec.tenantId) is stopped here, before anything is created or changed anywhere.
 *
 * Two ways a Tenant takes over an id that is not simply free, both deliberate:
 * - adoption: a tenant deleted with deletionPolicy Retain is adopted by a Tenant of the same
 *   namespace that asks for it with spec.adopt.tenantId;
 * - the upgrade from a registry without owners: the Tenant whose connection Secret (controlled by
 *   it) holds the record's current credentials is the one that provisioned it.
 */
export async function claimTenantId(scope: TenantScope, tenant: Tenant): Promise<Claim> {
  try {
    return await claim(scope, tenant);
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    // The registry (or the API server, for a Secret) did not answer: reported, and retried.
    throw new StepFailure(
      ConditionType.Claimed,
      Reason.RegistryUnavailable,
      `registry: ${safeMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}

async function claim(scope: TenantScope, tenant: Tenant): Promise<Claim> {
  const tenantId = tenantIdOf(tenant);
  const owner = scope.owner;
  let record = await scope.deps.provisioning.get(tenantId);
  if (!record) {
    const registered = await scope.deps.registry.get(tenantId);
    if (registered && !(await provisionedBefore(scope, tenant, registered))) {
      throw taken(scope, tenant, registered.owner?.namespace, registered.status === 'deleted');
    }
    record = await scope.deps.provisioning.claim({
      _id: tenantId,
      owner,
      claimedAt: scope.clock.date(),
      database: registered?.database ?? databaseNameFor(tenantId),
      cluster: registered?.cluster ?? null,
      move: null,
      adoptedFrom: null,
    });
  }
  if (record.owner.uid === owner.uid) return claimed(record, tenantId);

  const registered = await scope.deps.registry.get(tenantId);
  const retained = registered?.status === 'deleted';
  const asked = tenant.spec.adopt?.tenantId === tenantId;
  if (retained && asked && record.owner.namespace === owner.namespace) {
    const adopted = await scope.deps.provisioning.adopt(tenantId, record.owner.uid, owner);
    await scope.event('Normal', 'Adopted', `adopted the retained tenant ${tenantId} and its database`);
    return claimed(adopted, tenantId);
  }
  throw taken(scope, tenant, record.owner.namespace, retained);
}

function claimed(record: ProvisioningRecord, tenantId: string): Claim {
  return {
    record,
    condition: {
      type: ConditionType.Claimed,
      status: 'True',
      reason: Reason.Owned,
      message: `tenant id ${tenantId} belongs to this Tenant`,
    },
  };
}

/**
 * Why the id is not this Tenant's, naming nothing of its owner but whether it is in this namespace.
 */
function taken(
  scope: TenantScope,
  tenant: Tenant,
  ownerNamespace: string | undefined,
  retained: boolean,
): StepFailure {
  const tenantId = tenantIdOf(tenant);
  const here = ownerNamespace === scope.namespace;
  const message =
    retained && here
      ? `tenant id ${tenantId} belongs to a tenant deleted with deletionPolicy Retain; set spec.adopt.tenantId: ${tenantId} to adopt its data`
      : `tenant id ${tenantId} is already claimed by a Tenant in ${here ? 'this' : 'another'} namespace`;
  return new StepFailure(ConditionType.Claimed, Reason.TenantIdTaken, message, { stalled: true });
}

/**
 * The upgrade rule for a registry record written before owners were recorded: it is this Tenant's
 * if this Tenant's own connection Secret holds the record's current connection URI — only the
 * Tenant the operator provisioned it for was ever given that.
 */
async function provisionedBefore(
  scope: TenantScope,
  tenant: Tenant,
  registered: TenantRecord,
): Promise<boolean> {
  if (registered.owner !== null || registered.dbURI === null) return false;
  const found = await scope.ownedSecret(connectionSecretOf(tenant));
  if ('notOwned' in found || !found.secret) return false;
  const controller = found.secret.metadata?.ownerReferences?.find((o) => o.controller);
  if (controller?.uid !== tenant.metadata.uid) return false;
  return readSecretValue(found.secret, tenant.spec.connectionSecret.uriKey) === registered.dbURI;
}
