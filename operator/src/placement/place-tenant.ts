import type { AdmissionRefusal } from './admission.ts';

/**
 * Placement: which MongoCluster a new tenant's database goes on. A pure function of the request and
 * the clusters as observed, so it is tested without servers and explains every refusal.
 */

export interface ClusterCandidate {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Most tenants allowed; null for no limit. */
  readonly capacity: number | null;
  readonly cordoned: boolean;
  /** Relative preference between equally loaded clusters (0–1000, default 100). */
  readonly weight: number;
  /** Whether the last probe reached the cluster. */
  readonly reachable: boolean;
  /** Tenants placed on it now, including ones still provisioning. */
  readonly tenantCount: number;
  /** Why the cluster does not take this tenant (its allowedTenants), if it does not. */
  readonly notAllowed?: { readonly reason: AdmissionRefusal; readonly message: string } | null | undefined;
}

export interface PlacementRequest {
  readonly clusterName?: string | undefined;
  readonly matchLabels?: Readonly<Record<string, string>> | undefined;
}

export type PlacementRefusal =
  | 'ClusterNotFound'
  | 'ClusterCordoned'
  | 'ClusterFull'
  | 'ClusterUnreachable'
  | AdmissionRefusal
  | 'NoEligibleCluster';

export type PlacementDecision =
  | {
      readonly placed: true;
      readonly cluster: string;
      readonly reason: 'Pinned' | 'LeastLoaded';
      readonly message: string;
    }
  | { readonly placed: false; readonly reason: PlacementRefusal; readonly message: string };

export interface PlacementOptions {
  /** The capacity an unlimited cluster is compared as, so load stays comparable across clusters. */
  readonly nominalCapacity?: number;
}

const DEFAULT_NOMINAL_CAPACITY = 1000;

function hasRoom(cluster: ClusterCandidate): boolean {
  return cluster.capacity === null || cluster.tenantCount < cluster.capacity;
}

function matches(cluster: ClusterCandidate, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([key, value]) => cluster.labels[key] === value);
}

function whyIneligible(cluster: ClusterCandidate): PlacementRefusal | null {
  if (cluster.notAllowed) return cluster.notAllowed.reason;
  if (cluster.cordoned) return 'ClusterCordoned';
  if (!cluster.reachable) return 'ClusterUnreachable';
  if (!hasRoom(cluster)) return 'ClusterFull';
  return null;
}

export function placeTenant(
  request: PlacementRequest,
  clusters: readonly ClusterCandidate[],
  options: PlacementOptions = {},
): PlacementDecision {
  if (request.clusterName !== undefined) {
    const pinned = clusters.find((c) => c.name === request.clusterName);
    if (!pinned) {
      return {
        placed: false,
        reason: 'ClusterNotFound',
        message: `MongoCluster ${request.clusterName} does not exist`,
      };
    }
    const refusal = whyIneligible(pinned);
    if (refusal) return { placed: false, reason: refusal, message: describeRefusal(pinned, refusal) };
    return { placed: true, cluster: pinned.name, reason: 'Pinned', message: `pinned to ${pinned.name}` };
  }

  const selected = clusters.filter((c) => matches(c, request.matchLabels ?? {}));
  const eligible = selected.filter((c) => whyIneligible(c) === null);
  if (eligible.length === 0) {
    return { placed: false, reason: 'NoEligibleCluster', message: describeNoneEligible(request, selected) };
  }
  const nominal = options.nominalCapacity ?? DEFAULT_NOMINAL_CAPACITY;
  const load = (c: ClusterCandidate) => c.tenantCount / Math.max(c.capacity ?? nominal, 1);
  const [best] = [...eligible].sort(
    (a, b) =>
      load(a) - load(b) ||
      b.weight - a.weight ||
      a.tenantCount - b.tenantCount ||
      a.name.localeCompare(b.name),
  );
  if (!best) throw new Error('unreachable: eligible is not empty');
  const percent = Math.round(load(best) * 100);
  return {
    placed: true,
    cluster: best.name,
    reason: 'LeastLoaded',
    message: `placed on ${best.name}, the least loaded of ${eligible.length} eligible cluster(s) (${best.tenantCount} tenants, ${percent}% of capacity)`,
  };
}

function describeRefusal(cluster: ClusterCandidate, refusal: PlacementRefusal): string {
  if (cluster.notAllowed) return cluster.notAllowed.message;
  switch (refusal) {
    case 'ClusterCordoned':
      return `MongoCluster ${cluster.name} is cordoned and takes no new tenants`;
    case 'ClusterUnreachable':
      return `MongoCluster ${cluster.name} cannot be reached`;
    case 'ClusterFull':
      return `MongoCluster ${cluster.name} is full (${cluster.tenantCount} of ${cluster.capacity} tenants)`;
    default:
      return `MongoCluster ${cluster.name} cannot take the tenant`;
  }
}

function describeNoneEligible(request: PlacementRequest, selected: readonly ClusterCandidate[]): string {
  const selector = Object.entries(request.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (selected.length === 0) {
    return selector ? `no MongoCluster carries the labels ${selector}` : 'no MongoCluster exists';
  }
  const counts = new Map<PlacementRefusal, number>();
  for (const c of selected) {
    const refusal = whyIneligible(c);
    if (refusal) counts.set(refusal, (counts.get(refusal) ?? 0) + 1);
  }
  const words: Record<string, string> = {
    ClusterCordoned: 'cordoned',
    ClusterUnreachable: 'unreachable',
    ClusterFull: 'full',
    NamespaceNotAllowed: 'not open to this namespace',
    PlanNotAllowed: 'not serving this plan',
    IsolationNotAllowed: 'not serving this isolation',
  };
  const parts = [...counts].map(([r, n]) => `${n} ${words[r] ?? r}`);
  return `none of the ${selected.length} selected MongoCluster(s) can take a tenant: ${parts.join(', ')}`;
}
