import { isNotFound } from '../../kube/clients.ts';
import type { ReconcileOutcome } from '../../kube/work-queue.ts';
import type { Tenant } from '../../resources/tenant.ts';
import {
  GROUP,
  PAUSE_ANNOTATION,
  TENANT_PLURAL,
  Tenant as TenantSchema,
  VERSION,
} from '../../resources/tenant.ts';
import { type ConditionInput, ConditionType, Reason } from '../conditions.ts';
import { StepFailure } from '../step-failure.ts';
import { ensureFinalizer, finalizeTenant } from './finalize.ts';
import { checkMoveTarget, runMove } from './move/phases.ts';
import { planMove } from './move/plan.ts';
import type { PassOutcome, TenantStep } from './outcome.ts';
import { type TenantReconcilerDeps, TenantScope } from './scope.ts';
import { computeTenantStatus, writeTenantStatus } from './status.ts';
import { adminSecretOf, ensureAdmin } from './steps/admin.ts';
import { databaseOf, ensureDatabase } from './steps/database.ts';
import { ensurePlacement, PlacementLedger } from './steps/placement.ts';
import { publishRecord, reserveRecord } from './steps/registry.ts';
import { connectionSecretOf, ensureConnectionSecret } from './steps/secret.ts';
import { ensureUser } from './steps/user.ts';

export interface TenantReconcilerOptions extends TenantReconcilerDeps {
  /** Called after each step converged; tests use it to stop a reconcile between two steps. */
  readonly afterStep?: ((step: TenantStep, tenant: Tenant) => Promise<void> | void) | undefined;
}

/**
 * Level-based reconcile of one Tenant: read it; leave it alone while paused; finalize it when
 * deleted; otherwise run a move that is under way, then the provisioning steps (placement →
 * reservation → database → user → admin → secret → registry), each of which reads the world and
 * writes only what differs; then write status once from what the steps reported. A pass over a
 * converged tenant writes nothing, and a pass interrupted anywhere is finished by the next.
 */
export class TenantReconciler {
  readonly #deps: TenantReconcilerOptions;
  readonly #ledger: PlacementLedger;

  constructor(deps: TenantReconcilerOptions) {
    this.#deps = deps;
    this.#ledger = new PlacementLedger(deps.listTenants);
  }

  async reconcile(key: string): Promise<ReconcileOutcome> {
    let tenant = await this.#read(key);
    if (!tenant) {
      this.#ledger.forget(key);
      return undefined;
    }
    if (tenant.metadata.annotations?.[PAUSE_ANNOTATION] === 'true') {
      this.#deps.logger.info({ tenant: key }, 'reconciliation paused by annotation');
      return undefined;
    }
    const scope = new TenantScope(this.#deps, tenant);
    if (tenant.metadata.deletionTimestamp) return finalizeTenant(scope, this.#ledger, tenant);
    await ensureFinalizer(scope, tenant);

    // A move under way runs first; once done, the steps finish the tenant on its new cluster.
    // A move that cannot start is reported, and the tenant stays where it is.
    let plan = planMove(tenant.spec, tenant.status);
    if (plan.action === 'abandon') {
      tenant = await this.#abandonMove(scope, tenant, plan.move);
      plan = planMove(tenant.spec, tenant.status);
    }
    let moveRefused: StepFailure | null = null;
    if (plan.action === 'start') {
      moveRefused = await checkMoveTarget(scope, this.#ledger, tenant, plan.move.toCluster ?? '');
    }
    if ((plan.action === 'start' && !moveRefused) || plan.action === 'resume') {
      const result = await runMove(scope, this.#ledger, tenant, plan.move);
      if (!result.done) return result.requeue;
      tenant = result.tenant;
    }

    const provisioned = await this.#provision(scope, tenant);
    tenant = provisioned.tenant;
    const pass = provisioned.pass;
    const retried = pass.blocker?.stalled ? null : pass.blocker;
    const moved = movedCondition(tenant, moveRefused, retried);
    const blocker = pass.blocker ?? moveRefused;
    const status = computeTenantStatus(
      tenant,
      { ...pass, blocker, conditions: moved ? [...pass.conditions, moved] : pass.conditions },
      scope.clock.date(),
    );
    await writeTenantStatus(scope, tenant, status, { readyEvent: true });
    if (blocker && !blocker.stalled) throw blocker; // reported in status; the queue retries with backoff
    if (blocker) return { requeueAfterMs: this.#deps.waitRequeueMs ?? 30_000 };
    return undefined;
  }

  /**
   * The provisioning steps in order, each given what the ones before produced. What a step is
   * about (its cluster, database, Secret) is recorded as soon as it starts, so status names it
   * even when the step fails.
   */
  async #provision(scope: TenantScope, tenant: Tenant): Promise<{ tenant: Tenant; pass: PassOutcome }> {
    const after = (step: TenantStep, current: Tenant) => this.#deps.afterStep?.(step, current);
    const conditions: ConditionInput[] = [];
    let current = tenant;
    let cluster: string | undefined;
    let database: string | undefined;
    let secretName: string | undefined;
    let adminSecretName: string | undefined;
    const outcome = (blocker: StepFailure | null) => ({
      tenant: current,
      pass: { conditions, blocker, cluster, database, secretName, adminSecretName },
    });
    try {
      const placement = await ensurePlacement(scope, this.#ledger, current);
      current = placement.tenant;
      cluster = placement.cluster.metadata.name;
      conditions.push(placement.condition);
      await after('placement', current);

      await reserveRecord(scope, current, cluster);
      await after('reservation', current);

      const connection = await scope.connect(placement.cluster);
      database = databaseOf(current);
      conditions.push((await ensureDatabase(scope, connection, database)).condition);
      await after('database', current);

      const user = await ensureUser(scope, current, connection, database);
      conditions.push(user.condition);
      await after('user', current);

      adminSecretName = adminSecretOf(current);
      conditions.push((await ensureAdmin(scope, current, connection, database)).condition);
      await after('admin', current);

      secretName = connectionSecretOf(current);
      conditions.push((await ensureConnectionSecret(scope, current, database, user.credentials)).condition);
      await after('secret', current);

      const dbURI = user.credentials.uri;
      conditions.push((await publishRecord(scope, current, { cluster, database, dbURI })).condition);
      await after('registry', current);
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      conditions.push({
        type: error.condition,
        status: 'False',
        reason: error.reason,
        message: error.message,
      });
      return outcome(error);
    }
    return outcome(null);
  }

  async #abandonMove(
    scope: TenantScope,
    tenant: Tenant,
    move: NonNullable<Tenant['status']>['move'],
  ): Promise<Tenant> {
    const abandoned = { ...move, phase: 'Abandoned' as const, completedAt: scope.clock.date().toISOString() };
    const written = await writeTenantStatus(scope, tenant, { ...tenant.status, move: abandoned });
    await scope.event(
      'Normal',
      'MoveAbandoned',
      `the move to ${move?.toCluster} was withdrawn before its copy was committed; the tenant stays on ${move?.fromCluster}`,
    );
    return written;
  }

  async #read(key: string): Promise<Tenant | null> {
    const [namespace = '', name = ''] = key.split('/');
    try {
      const raw = await this.#deps.kube.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: TENANT_PLURAL,
        name,
      });
      return TenantSchema.parse(raw);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

/** The Moved condition while spec.move is set: refused, or done (the tenant runs where asked). */
function movedCondition(
  tenant: Tenant,
  refused: StepFailure | null,
  blocker: StepFailure | null,
): ConditionInput | null {
  if (refused && !blocker) {
    return { type: ConditionType.Moved, status: 'False', reason: refused.reason, message: refused.message };
  }
  const wanted = tenant.spec.move?.toCluster;
  if (refused || !wanted || tenant.status?.cluster !== wanted) return null;
  return {
    type: ConditionType.Moved,
    status: 'True',
    reason: Reason.OnRequestedCluster,
    message: `running on ${wanted}, as spec.move asks`,
  };
}
