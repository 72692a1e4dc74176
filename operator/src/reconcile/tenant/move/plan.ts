import type { ClusterCandidate } from '../../../placement/place-tenant.ts';
import type { MoveStatus, TenantSpec } from '../../../resources/tenant.ts';

/**
 * What to do about moving a Tenant to another cluster, from its spec and status alone:
 * - `none`: no move asked for, or the tenant is where spec.move wants it;
 * - `abandon`: a move withdrawn or retargeted before its copy was committed is marked Abandoned,
 *   so asking again starts from the drain instead of resuming a copy that writes may have passed;
 * - `start`: a new move, once the target has been checked (`moveTargetRefusal`);
 * - `resume`: a move under way, from its phase. Past its copy (Switching: the registry already
 *   points at the target, the source may be partly dropped) a move is committed, whatever
 *   spec.move says now.
 */
export type MovePlan =
  | { readonly action: 'none' }
  | { readonly action: 'abandon'; readonly move: MoveStatus }
  | { readonly action: 'start'; readonly move: MoveStatus }
  | { readonly action: 'resume'; readonly move: MoveStatus };

/** Where a tenant is and its last move, as the provisioning record keeps them. */
export interface MoveState {
  readonly cluster?: string | null | undefined;
  readonly move?: MoveStatus | null | undefined;
}

export function planMove(spec: Pick<TenantSpec, 'move'>, state: MoveState | undefined): MovePlan {
  const current = state?.move ?? undefined;
  const at = state?.cluster ?? undefined;
  if (current?.phase === 'Switching' && current.fromCluster === at && current.toCluster !== at) {
    return { action: 'resume', move: current };
  }
  const wanted = spec.move;
  if (current?.phase === 'Draining' || current?.phase === 'Copying') {
    const same = wanted?.toCluster === current.toCluster && at === current.fromCluster;
    return same ? { action: 'resume', move: current } : { action: 'abandon', move: current };
  }
  if (!wanted || at === undefined || wanted.toCluster === at) return { action: 'none' };
  return {
    action: 'start',
    move: { fromCluster: at, toCluster: wanted.toCluster, sourcePolicy: wanted.sourcePolicy },
  };
}

/**
 * Why a new move cannot go to `to`, or null: the target must exist, take tenants, and be another
 * server than the source (a copy begins by dropping the target: here, the source itself).
 */
export function moveTargetRefusal(
  to: string,
  target: ClusterCandidate | undefined,
  sameServerAs: string | undefined,
): string | null {
  if (!target) return `cannot move to ${to}: no such MongoCluster`;
  if (target.cordoned) return `cannot move to ${to}: the MongoCluster is cordoned`;
  if (!target.reachable) return `cannot move to ${to}: the MongoCluster is unreachable`;
  if (target.capacity !== null && target.tenantCount >= target.capacity) {
    return `cannot move to ${to}: the MongoCluster is full (${target.tenantCount}/${target.capacity})`;
  }
  if (sameServerAs !== undefined) return `cannot move to ${to}: it is the same server as ${sameServerAs}`;
  return null;
}
