import type { ReconcileOutcome } from '../../../kube/work-queue.ts';
import { sameServers } from '../../../provisioning/connection-uri.ts';
import { copyDatabase } from '../../../provisioning/copy-database.ts';
import type { ProvisioningRecord } from '../../../provisioning/provisioning-records.ts';
import { dropTenantDatabase } from '../../../provisioning/tenant-database.ts';
import type { MoveStatus, Tenant } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { MoveStep } from '../outcome.ts';
import type { TenantScope } from '../scope.ts';
import { computeMoveStatus, writeTenantStatus } from '../status.ts';
import { liveUser } from '../steps/credentials.ts';
import { ownsDatabase } from '../steps/database.ts';
import { type PlacementLedger, requestOf } from '../steps/placement.ts';
import { markMoving, pointAtCopy } from '../steps/registry.ts';
import { ensureUser } from '../steps/user.ts';
import { moveTargetRefusal } from './plan.ts';

/**
 * The phases of a move, each idempotent and safe to repeat after a crash:
 * Draining — the registry says `moving` (the API answers 503) and in-flight requests finish;
 * Copying — the database is copied to the new cluster, the user created there, and the registry
 * record points at it (still `moving`); Switching — the old database is dropped if asked, then
 * the tenant's cluster changes. The phase lives in the provisioning record (status.move shows it).
 */
export type MoveResult =
  | { readonly done: false; readonly requeue: ReconcileOutcome }
  | { readonly done: true; readonly tenant: Tenant; readonly record: ProvisioningRecord };

const DEFAULT_DRAIN_MS = 45_000;

/** Refusal of a new move's target, as a stalled Moved failure; null when it may start. */
export async function checkMoveTarget(
  scope: TenantScope,
  ledger: PlacementLedger,
  tenant: Tenant,
  record: ProvisioningRecord,
  to: string,
): Promise<StepFailure | null> {
  const refuse = (message: string) =>
    new StepFailure(ConditionType.Moved, Reason.MoveTargetUnavailable, message, { stalled: true });
  const target = scope.findCluster(to);
  const candidate = target ? await ledger.candidate(target, requestOf(scope, tenant)) : undefined;
  if (candidate?.notAllowed) return refuse(`cannot move to ${to}: ${candidate.notAllowed.message}`);
  let sameServerAs: string | undefined;
  const source = scope.findCluster(record.cluster ?? undefined);
  if (target && candidate && source && !moveTargetRefusal(to, candidate, undefined)) {
    try {
      const [a, b] = [await scope.deps.clusters.get(source), await scope.deps.clusters.get(target)];
      if (sameServers(a.adminUri, b.adminUri)) sameServerAs = source.metadata.name;
    } catch (error) {
      return refuse(`cannot move to ${to}: ${safeMessage(error)}`);
    }
  }
  const refusal = moveTargetRefusal(to, candidate, sameServerAs);
  return refusal ? refuse(refusal) : null;
}

/** Runs a move from its phase as far as it can go in this pass. */
export async function runMove(
  scope: TenantScope,
  ledger: PlacementLedger,
  tenant: Tenant,
  initial: ProvisioningRecord,
  start: MoveStatus,
): Promise<MoveResult> {
  let current = tenant;
  let record = initial;
  let move = start;
  const from = move.fromCluster ?? '';
  const to = move.toCluster ?? '';
  const database = record.database;
  const owner = scope.owner.uid;
  const write = async (next: MoveStatus, step: MoveStep) => {
    record = await scope.deps.provisioning.setMove(record._id, owner, next);
    current = await writeTenantStatus(scope, current, computeMoveStatus(current, record, scope.clock.date()));
    move = next;
    await scope.deps.afterStep?.(step, current);
  };
  const fence = () => {
    if (scope.deps.stillLeading && !scope.deps.stillLeading()) {
      throw moveFailure(Reason.MoveFailed, 'this replica no longer leads; the new leader carries on');
    }
  };

  try {
    // A pass that crashed between the provisioning record and status: status catches up first
    // (the CRD lets status.cluster change only from a Switching status.move).
    if (move.phase !== undefined) {
      current = await writeTenantStatus(
        scope,
        current,
        computeMoveStatus(current, record, scope.clock.date()),
      );
    }
    if (move.phase === undefined) {
      const now = scope.clock.now();
      fence();
      await markMoving(scope, current);
      await write(
        {
          ...move,
          phase: 'Draining',
          startedAt: new Date(now).toISOString(),
          drainUntil: new Date(now + (scope.deps.moveDrainMs ?? DEFAULT_DRAIN_MS)).toISOString(),
        },
        'move-draining',
      );
      await scope.event(
        'Normal',
        'MoveStarted',
        `moving from ${from} to ${to}: the API answers 503 until the database is copied`,
      );
    }
    if (move.phase === 'Draining') {
      await markMoving(scope, current);
      const wait = Date.parse(move.drainUntil ?? '') - scope.clock.now();
      if (wait > 0) return { done: false, requeue: { requeueAfterMs: wait } };
      await write({ ...move, phase: 'Copying' }, 'move-copying');
    }
    if (move.phase === 'Copying') {
      await markMoving(scope, current);
      const copied = await copyToTarget(scope, current, record, to, fence);
      await write({ ...move, phase: 'Switching', ...copied }, 'move-switching');
      await scope.event(
        'Normal',
        'Copied',
        `copied ${copied.documents} documents in ${copied.collections} collections of ${database} to ${to}`,
      );
    }
    fence();
    if (move.sourcePolicy === 'Delete') {
      const source = scope.findCluster(from);
      if (source) {
        const connection = await scope.connect(source);
        try {
          if (await ownsDatabase(connection.client.db(database), owner)) {
            await dropTenantDatabase(connection.client, database, record._id);
          }
        } catch (error) {
          throw moveFailure(
            Reason.MoveFailed,
            `dropping ${database} on ${from}: ${safeMessage(error)}`,
            error,
          );
        }
        await scope.event('Normal', 'SourceDeleted', `dropped ${database} and its user on ${from}`);
      }
    }
    fence();
    const done: MoveStatus = { ...move, phase: 'Done', completedAt: scope.clock.date().toISOString() };
    record = await scope.deps.provisioning.switchCluster(record._id, owner, to, done);
    current = await writeTenantStatus(scope, current, {
      ...current.status,
      cluster: to,
      database: record.database,
      move: done,
    });
    await ledger.record(record._id, to);
    await scope.event('Normal', 'Moved', `now on ${to}; the registry record is made active next`);
    await scope.deps.afterStep?.('move-done', current);
    return { done: true, tenant: current, record };
  } catch (error) {
    if (error instanceof StepFailure) {
      const reported = await writeTenantStatus(
        scope,
        current,
        computeMoveStatus(current, record, scope.clock.date(), error),
      );
      if (reported !== current) await scope.event('Warning', error.reason, error.message);
    }
    throw error;
  }
}

/** Copying: the database and its indexes, the user on the target, then the registry points there. */
async function copyToTarget(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
  to: string,
  fence: () => void,
): Promise<{ collections: number; documents: number }> {
  const from = record.cluster ?? '';
  const database = record.database;
  const source = scope.findCluster(from);
  const target = scope.findCluster(to);
  if (!source || !target) {
    throw moveFailure(Reason.MoveFailed, `MongoCluster ${source ? to : from} does not exist`);
  }
  const [sourceConnection, targetConnection] = [await scope.connect(source), await scope.connect(target)];
  if (sameServers(sourceConnection.adminUri, targetConnection.adminUri)) {
    throw new StepFailure(
      ConditionType.Moved,
      Reason.MoveTargetUnavailable,
      `cannot move to ${to}: it is the same server as ${from}`,
      { stalled: true },
    );
  }
  // The copy begins by dropping the target: never one that another Tenant owns.
  if (!(await ownsDatabase(targetConnection.client.db(database), scope.owner.uid))) {
    throw new StepFailure(
      ConditionType.Moved,
      Reason.TenantIdTaken,
      `cannot move to ${to}: database ${database} there belongs to another Tenant`,
      { stalled: true },
    );
  }
  let copied: { collections: number; documents: number };
  try {
    copied = await copyDatabase(sourceConnection.client.db(database), targetConnection.client.db(database), {
      checkpoint: fence,
    });
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw moveFailure(
      Reason.MoveFailed,
      `copying ${database} from ${from} to ${to}: ${safeMessage(error)}`,
      error,
    );
  }
  const { credentials } = await ensureUser(
    scope,
    tenant,
    targetConnection,
    database,
    await liveUser(scope, record),
  );
  fence();
  await pointAtCopy(scope, tenant, record, { cluster: to, database, dbURI: credentials.uri });
  return copied;
}

function moveFailure(reason: Reason, message: string, cause?: unknown): StepFailure {
  return new StepFailure(ConditionType.Moved, reason, message, { cause });
}
