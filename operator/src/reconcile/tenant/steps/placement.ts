import { type ClusterCandidate, placeTenant } from '../../../placement/place-tenant.ts';
import type { MongoCluster } from '../../../resources/mongo-cluster.ts';
import type { Tenant } from '../../../resources/tenant.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import { keyOf, type TenantScope } from '../scope.ts';
import { writeTenantStatus } from '../status.ts';

/**
 * Which cluster each Tenant is on, as far as this replica knows: the informer's view plus the
 * placements decided here that the informer may not show yet. Counting a choice the moment it is
 * made keeps parallel placements honest (they don't all pick the same emptiest cluster).
 */
export class PlacementLedger {
  readonly #recent = new Map<string, string>();
  readonly #listTenants: () => readonly Tenant[];

  constructor(listTenants: () => readonly Tenant[]) {
    this.#listTenants = listTenants;
  }

  record(tenantKey: string, cluster: string): void {
    this.#recent.set(tenantKey, cluster);
  }

  forget(tenantKey: string): void {
    this.#recent.delete(tenantKey);
  }

  /** A MongoCluster as placement sees it, with the tenants placed on it now. */
  candidate(cluster: MongoCluster): ClusterCandidate {
    const name = cluster.metadata.name;
    const placed = new Set<string>();
    for (const t of this.#listTenants()) if (t.status?.cluster === name) placed.add(keyOf(t));
    for (const [key, clusterName] of this.#recent) if (clusterName === name) placed.add(key);
    return {
      name,
      labels: cluster.spec.labels ?? {},
      capacity: cluster.spec.capacity ?? null,
      cordoned: cluster.spec.cordoned,
      weight: cluster.spec.weight,
      reachable: cluster.status?.reachable ?? true,
      tenantCount: placed.size,
    };
  }
}

export interface Placement extends StepOutcome {
  readonly cluster: MongoCluster;
  /** The Tenant with its placement locked in status. */
  readonly tenant: Tenant;
}

function placedReason(tenant: Tenant): Reason {
  return tenant.spec.placement?.clusterName ? Reason.Pinned : Reason.LeastLoaded;
}

/**
 * Keeps the cluster a Tenant is placed on, or chooses one and locks the choice in status before
 * anything is created there. Why a cluster was chosen goes into the Placed event; the condition
 * says only where, so later passes compute the same status.
 */
export async function ensurePlacement(
  scope: TenantScope,
  ledger: PlacementLedger,
  tenant: Tenant,
): Promise<Placement> {
  const locked = tenant.status?.cluster;
  if (locked) {
    const cluster = scope.findCluster(locked);
    if (!cluster) {
      throw new StepFailure(
        ConditionType.Placed,
        Reason.ClusterNotFound,
        `MongoCluster ${locked} does not exist`,
        {
          stalled: true,
        },
      );
    }
    return { cluster, tenant, condition: placedCondition(tenant, locked) };
  }
  const clusters = scope.deps.listMongoClusters();
  const decision = placeTenant(
    {
      clusterName: tenant.spec.placement?.clusterName,
      matchLabels: tenant.spec.placement?.clusterSelector?.matchLabels,
    },
    clusters.map((c) => ledger.candidate(c)),
  );
  if (!decision.placed) {
    throw new StepFailure(ConditionType.Placed, decision.reason, decision.message, { stalled: true });
  }
  // Counted at once, before any await: concurrent reconciles of other new tenants see it.
  ledger.record(scope.ref.key, decision.cluster);
  let placed: Tenant;
  try {
    placed = await writeTenantStatus(scope, tenant, { ...(tenant.status ?? {}), cluster: decision.cluster });
  } catch (error) {
    ledger.forget(scope.ref.key);
    throw error;
  }
  await scope.event('Normal', 'Placed', decision.message);
  const cluster = clusters.find((c) => c.metadata.name === decision.cluster);
  if (!cluster) throw new Error('placement chose a cluster that is not in the list');
  return { cluster, tenant: placed, condition: placedCondition(placed, decision.cluster) };
}

function placedCondition(tenant: Tenant, cluster: string) {
  return {
    type: ConditionType.Placed,
    status: 'True' as const,
    reason: placedReason(tenant),
    message: `placed on ${cluster}`,
  };
}
