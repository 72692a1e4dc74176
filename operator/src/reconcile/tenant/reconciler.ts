import { isNotFound } from '../../kube/clients.ts';
import type { ReconcileOutcome } from '../../kube/work-queue.ts';
import type { ProvisioningRecord } from '../../provisioning/provisioning-records.ts';
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
import { claimTenantId } from './steps/claim.ts';
import { completeRotation, credentialsView, liveUser, prepareRotation } from './steps/credentials.ts';
import { ensureDatabase } from './steps/database.ts';
import { ensurePlacement, type PlacementLedger } from './steps/placement.ts';
import { publishRecord, reserveRecord } from './steps/registry.ts';
import { connectionSecretOf, ensureConnectionSecret } from './steps/secret.ts';
import { advanceSigningKeys, retireInMs, signingKeysOf } from './steps/signing-keys.ts';
import { ensureUser } from './steps/user.ts';

export interface TenantReconcilerOptions extends TenantReconcilerDeps {
  /** Where placement counts tenants per cluster (shared with the MongoCluster reconciler). */
  readonly ledger: PlacementLedger;
}

/**
 * Level-based reconcile of one Tenant: read it; leave it alone while paused; finalize it when
 * deleted; otherwise claim its tenant id (nothing is touched for a Tenant that does not own it),
 * run a move that is under way, then the provisioning steps (placement → reservation → database →
 * user → admin → secret → registry), each of which reads the world and writes only what differs;
 * then write status once from what the steps reported. Decisions are read from the operator's
 * provisioning record, never from the Tenant's status. A pass over a converged tenant writes
 * nothing, and a pass interrupted anywhere is finished by the next.
 */
export class TenantReconciler {
  readonly #deps: TenantReconcilerOptions;

  constructor(deps: TenantReconcilerOptions) {
    this.#deps = deps;
  }

  async reconcile(key: string): Promise<ReconcileOutcome> {
    let tenant = await this.#read(key);
    if (!tenant) return undefined;
    if (tenant.metadata.annotations?.[PAUSE_ANNOTATION] === 'true') {
      this.#deps.logger.info({ tenant: key }, 'reconciliation paused by annotation');
      return undefined;
    }
    const scope = new TenantScope(this.#deps, tenant);
    const ledger = this.#deps.ledger;
    if (tenant.metadata.deletionTimestamp) return finalizeTenant(scope, ledger, tenant);
    await ensureFinalizer(scope, tenant);

    let record: ProvisioningRecord;
    let claimed: ConditionInput;
    try {
      ({ record, condition: claimed } = await claimTenantId(scope, tenant));
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      return this.#report(scope, tenant, { ...emptyPass(), conditions: [failed(error)], blocker: error });
    }
    await this.#deps.afterStep?.('claim', tenant);

    // A move under way runs first; once done, the steps finish the tenant on its new cluster.
    // A move that cannot start is reported, and the tenant stays where it is.
    let plan = planMove(tenant.spec, record);
    if (plan.action === 'abandon') {
      ({ tenant, record } = await this.#abandonMove(scope, tenant, record));
      plan = planMove(tenant.spec, record);
    }
    let moveRefused: StepFailure | null = null;
    if (plan.action === 'start') {
      moveRefused = await checkMoveTarget(scope, ledger, tenant, record, plan.move.toCluster ?? '');
    }
    if ((plan.action === 'start' && !moveRefused) || plan.action === 'resume') {
      const result = await runMove(scope, ledger, tenant, record, plan.move);
      if (!result.done) return result.requeue;
      ({ tenant, record } = result);
    }

    const pass = await this.#provision(scope, tenant, record, claimed);
    const retried = pass.blocker?.stalled ? null : pass.blocker;
    const moved = movedCondition(tenant, pass, moveRefused, retried);
    const outcome = await this.#report(scope, tenant, {
      ...pass,
      blocker: pass.blocker ?? moveRefused,
      conditions: moved ? [...pass.conditions, moved] : pass.conditions,
    });
    // A credential rotation's next phase falls due: come back then.
    return outcome ?? (pass.dueInMs === null ? undefined : { requeueAfterMs: pass.dueInMs });
  }

  /**
   * Writes status once from the pass, and tells what changed: a tenant that became Ready gets one
   * `Provisioned` Event saying everything this pass did; otherwise a change of Ready is one Event
   * and each step's note another. A retried failure goes back to the queue's backoff.
   */
  async #report(scope: TenantScope, tenant: Tenant, pass: PassOutcome): Promise<ReconcileOutcome> {
    const status = computeTenantStatus(tenant, pass, scope.clock.date());
    const notes = scope.takeNotes();
    const before = tenant.status?.conditions?.find((c) => c.type === ConditionType.Ready);
    const written = await writeTenantStatus(scope, tenant, status);
    const ready = status.conditions?.find((c) => c.type === ConditionType.Ready);
    const changed =
      written !== tenant && ready && (before?.status !== ready.status || before?.reason !== ready.reason);
    if (changed && ready.status === 'True' && notes.length > 0) {
      await scope.event(
        'Normal',
        ready.reason,
        `${ready.message}: ${notes.map((n) => n.message).join('; ')}`,
      );
    } else {
      if (changed) {
        const type = ready.status === 'True' || ready.reason === Reason.Progressing ? 'Normal' : 'Warning';
        await scope.event(type, ready.reason, ready.message);
      }
      for (const note of notes) await scope.event('Normal', note.reason, note.message);
    }
    const blocker = pass.blocker;
    if (blocker && !blocker.stalled) throw blocker;
    if (blocker) return { requeueAfterMs: this.#deps.waitRequeueMs ?? 30_000 };
    return undefined;
  }

  /**
   * The provisioning steps in order, each given what the ones before produced. What a step is
   * about (its cluster, database, Secret) is recorded as soon as it starts, so status names it
   * even when the step fails.
   */
  async #provision(
    scope: TenantScope,
    tenant: Tenant,
    claim: ProvisioningRecord,
    claimed: ConditionInput,
  ): Promise<PassOutcome & { dueInMs: number | null }> {
    const after = (step: TenantStep) => this.#deps.afterStep?.(step, tenant);
    const conditions: ConditionInput[] = [claimed];
    let record = claim;
    let secretName: string | undefined;
    let adminSecretName: string | undefined;
    let schemaVersion: number | undefined;
    let dueInMs: number | null = null;
    let signingKey: PassOutcome['signingKey'];
    const outcome = (blocker: StepFailure | null): PassOutcome & { dueInMs: number | null } => ({
      conditions,
      blocker,
      cluster: record.cluster ?? undefined,
      database: record.database,
      schemaVersion,
      secretName,
      adminSecretName,
      move: record.move,
      credentials: credentialsView(record),
      signingKey,
      dueInMs,
    });
    try {
      const placement = await ensurePlacement(scope, this.#deps.ledger, tenant, record);
      record = placement.record;
      const cluster = placement.cluster.metadata.name;
      conditions.push(placement.condition);
      await after('placement');

      await reserveRecord(scope, tenant, record, cluster);
      await after('reservation');

      const connection = await scope.connect(placement.cluster);
      const migrated = await ensureDatabase(scope, connection, record);
      conditions.push(migrated.condition);
      schemaVersion = migrated.schemaVersion;
      await after('database');

      // A credential rotation that is due or preparing gets its new user ready first.
      record = await prepareRotation(scope, tenant, record, connection);
      const user = await ensureUser(
        scope,
        tenant,
        connection,
        record.database,
        await liveUser(scope, record),
      );
      conditions.push(user.condition);
      await after('user');

      adminSecretName = adminSecretOf(tenant);
      conditions.push((await ensureAdmin(scope, tenant, connection, record.database)).condition);
      await after('admin');

      secretName = connectionSecretOf(tenant);
      conditions.push(
        (await ensureConnectionSecret(scope, tenant, record.database, user.credentials)).condition,
      );
      await after('secret');

      record = await advanceSigningKeys(scope, tenant, record);
      const target = { cluster, database: record.database, dbURI: user.credentials.uri };
      const published = await publishRecord(scope, tenant, record, target);
      conditions.push(published.condition);
      const newest = published.signingKeys.at(-1);
      if (newest) signingKey = { kid: newest.kid, rotatedAt: signingKeysOf(record).rotatedAt };
      await after('registry');

      // The new credentials are out: the overlap starts, or ends with the previous user dropped.
      const rotation = await completeRotation(scope, tenant, record, connection);
      record = rotation.record;
      // Whichever falls due first: the rotation's next phase, or retiring older signing keys.
      const retire = retireInMs(published.signingKeys, signingKeysOf(record), scope.clock.now());
      const due = [rotation.dueInMs, retire].filter((ms): ms is number => ms !== null);
      dueInMs = due.length > 0 ? Math.min(...due) : null;
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      conditions.push(failed(error));
      return outcome(error);
    }
    return outcome(null);
  }

  /**
   * A move withdrawn or retargeted before its copy was committed is marked Abandoned, so asking
   * again starts from the drain instead of resuming a copy that writes may have passed.
   */
  async #abandonMove(
    scope: TenantScope,
    tenant: Tenant,
    record: ProvisioningRecord,
  ): Promise<{ tenant: Tenant; record: ProvisioningRecord }> {
    const move = record.move ?? {};
    const abandoned = { ...move, phase: 'Abandoned' as const, completedAt: scope.clock.date().toISOString() };
    const updated = await scope.deps.provisioning.setMove(record._id, scope.owner.uid, abandoned);
    const written = await writeTenantStatus(scope, tenant, { ...tenant.status, move: abandoned });
    await scope.event(
      'Normal',
      'MoveAbandoned',
      `the move to ${move.toCluster} was withdrawn before its copy was committed; the tenant stays on ${move.fromCluster}`,
    );
    return { tenant: written, record: updated };
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

function emptyPass(): PassOutcome {
  return {
    conditions: [],
    blocker: null,
    cluster: undefined,
    database: undefined,
    secretName: undefined,
    adminSecretName: undefined,
    move: undefined,
  };
}

function failed(error: StepFailure): ConditionInput {
  return { type: error.condition, status: 'False', reason: error.reason, message: error.message };
}

/**
 * The Moved condition while spec.move is set: refused (unless a retried failure of a step says
 * more), or done (the tenant runs where asked).
 */
function movedCondition(
  tenant: Tenant,
  pass: PassOutcome,
  refused: StepFailure | null,
  retried: StepFailure | null,
): ConditionInput | null {
  if (refused && !retried) {
    return { type: ConditionType.Moved, status: 'False', reason: refused.reason, message: refused.message };
  }
  const wanted = tenant.spec.move?.toCluster;
  if (refused || !wanted || pass.cluster !== wanted) return null;
  return {
    type: ConditionType.Moved,
    status: 'True',
    reason: Reason.OnRequestedCluster,
    message: `running on ${wanted}, as spec.move asks`,
  };
}
