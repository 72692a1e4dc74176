import {
  admissionRefusal,
  describeAdmissionRefusal,
  type TenantRequest,
} from '../../../placement/admission.ts';
import { type ClusterCandidate, placeTenant } from '../../../placement/place-tenant.ts';
import type { ProvisioningRecord, ProvisioningRecords } from '../../../provisioning/provisioning-records.ts';
import type { MongoCluster } from '../../../resources/mongo-cluster.ts';
import type { Tenant } from '../../../resources/tenant.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import type { TenantScope } from '../scope.ts';

/**
 * Which cluster each tenant id is on: read once from the provisioning records (the operator's
 * own, owner-checked state), then kept up to date by this replica's placements, moves and
 * deletions. Placement counts from here, so a choice counts the moment it is made (parallel
 * placements don't all pick the same emptiest cluster), and no Tenant's status can skew it.
 */
export class PlacementLedger {
  readonly #records: ProvisioningRecords;
  #placements: Promise<Map<string, string>> | undefined;

  constructor(records: ProvisioningRecords) {
    this.#records = records;
  }

  async #load(): Promise<Map<string, string>> {
    this.#placements ??= this.#records.placements().catch((error: unknown) => {
      this.#placements = undefined;
      throw error;
    });
    return this.#placements;
  }

  async record(tenantId: string, cluster: string): Promise<void> {
    (await this.#load()).set(tenantId, cluster);
  }

  async forget(tenantId: string): Promise<void> {
    (await this.#load()).delete(tenantId);
  }

  /** Tenants placed on a cluster now, including ones still provisioning. */
  async count(cluster: string): Promise<number> {
    let count = 0;
    for (const placed of (await this.#load()).values()) if (placed === cluster) count++;
    return count;
  }

  /** A MongoCluster as placement sees it for this request: load, state, and whether it admits it. */
  async candidate(cluster: MongoCluster, request: TenantRequest): Promise<ClusterCandidate> {
    const name = cluster.metadata.name;
    const refusal = admissionRefusal(cluster.spec.allowedTenants, request);
    return {
      name,
      labels: cluster.spec.labels ?? {},
      capacity: cluster.spec.capacity ?? null,
      cordoned: cluster.spec.cordoned,
      weight: cluster.spec.weight,
      reachable: cluster.status?.reachable ?? true,
      tenantCount: await this.count(name),
      notAllowed: refusal
        ? { reason: refusal, message: describeAdmissionRefusal(name, refusal, request) }
        : null,
    };
  }
}

/** What a Tenant asks of a cluster: its namespace (by labels), plan and isolation. */
export function requestOf(scope: TenantScope, tenant: Tenant): TenantRequest {
  return {
    namespace: scope.namespace,
    namespaceLabels: scope.deps.namespaceLabels(scope.namespace),
    plan: tenant.spec.plan,
    isolation: tenant.spec.isolation,
  };
}

export interface Placement extends StepOutcome {
  readonly cluster: MongoCluster;
  readonly record: ProvisioningRecord;
}

function placedReason(tenant: Tenant): Reason {
  return tenant.spec.placement?.clusterName ? Reason.Pinned : Reason.LeastLoaded;
}

/**
 * Keeps the cluster a tenant is placed on, or chooses one and locks the choice in the
 * provisioning record before anything is created there. Only clusters whose allowedTenants admit
 * the Tenant's namespace, plan and isolation are candidates; a placed tenant that asks for what
 * its cluster no longer admits (a new plan, say) is refused and stays as it is. Why a cluster was
 * chosen goes into the Placed event; the condition says only where, so later passes compute the
 * same status.
 */
export async function ensurePlacement(
  scope: TenantScope,
  ledger: PlacementLedger,
  tenant: Tenant,
  record: ProvisioningRecord,
): Promise<Placement> {
  const request = requestOf(scope, tenant);
  if (record.cluster) {
    const cluster = scope.findCluster(record.cluster);
    if (!cluster) {
      throw new StepFailure(
        ConditionType.Placed,
        Reason.ClusterNotFound,
        `MongoCluster ${record.cluster} does not exist`,
        {
          stalled: true,
        },
      );
    }
    const refusal = admissionRefusal(cluster.spec.allowedTenants, request);
    if (refusal) {
      throw new StepFailure(
        ConditionType.Placed,
        Reason[refusal],
        describeAdmissionRefusal(record.cluster, refusal, request),
        {
          stalled: true,
        },
      );
    }
    return { cluster, record, condition: placedCondition(tenant, record.cluster) };
  }
  const clusters = scope.deps.listMongoClusters();
  const decision = placeTenant(
    {
      clusterName: tenant.spec.placement?.clusterName,
      matchLabels: tenant.spec.placement?.clusterSelector?.matchLabels,
    },
    await Promise.all(clusters.map((c) => ledger.candidate(c, request))),
  );
  if (!decision.placed) {
    throw new StepFailure(ConditionType.Placed, Reason[decision.reason], decision.message, { stalled: true });
  }
  // Counted at once, before the write: concurrent reconciles of other new tenants see it.
  await ledger.record(record._id, decision.cluster);
  let placed: ProvisioningRecord;
  try {
    placed = await scope.deps.provisioning.lockCluster(record._id, record.owner.uid, decision.cluster);
  } catch (error) {
    await ledger.forget(record._id);
    throw error;
  }
  // Placed meanwhile by another pass (its lock won): that one stands.
  if (placed.cluster !== decision.cluster && placed.cluster) await ledger.record(record._id, placed.cluster);
  else scope.note('Placed', decision.message);
  const cluster = scope.findCluster(placed.cluster ?? decision.cluster);
  if (!cluster) throw new Error('placement chose a cluster that is not in the list');
  return { cluster, record: placed, condition: placedCondition(tenant, cluster.metadata.name) };
}

function placedCondition(tenant: Tenant, cluster: string) {
  return {
    type: ConditionType.Placed,
    status: 'True' as const,
    reason: placedReason(tenant),
    message: `placed on ${cluster}`,
  };
}
