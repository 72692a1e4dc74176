import { mergePatchCustomObject } from '../../kube/clients.ts';
import type { ReconcileOutcome } from '../../kube/work-queue.ts';
import type { ProvisioningRecord } from '../../provisioning/provisioning-records.ts';
import { dropTenantDatabase } from '../../provisioning/tenant-database.ts';
import { TENANT_FINALIZER, type Tenant, tenantIdOf } from '../../resources/tenant.ts';
import { safeMessage } from '../../safe-message.ts';
import { ConditionType, Reason } from '../conditions.ts';
import { StepFailure } from '../step-failure.ts';
import type { TenantScope } from './scope.ts';
import { computeTenantStatus, writeTenantStatus } from './status.ts';
import { ownsDatabase } from './steps/database.ts';
import type { PlacementLedger } from './steps/placement.ts';
import { removeRecord, retireRecord } from './steps/registry.ts';

/** Adds the finalizer that lets deletion clean up first. */
export async function ensureFinalizer(scope: TenantScope, tenant: Tenant): Promise<void> {
  const finalizers = tenant.metadata.finalizers ?? [];
  if (finalizers.includes(TENANT_FINALIZER)) return;
  await mergePatchCustomObject(scope.deps.kube, scope.ref.resource, {
    metadata: {
      finalizers: [...finalizers, TENANT_FINALIZER],
      resourceVersion: tenant.metadata.resourceVersion,
    },
  });
}

/**
 * A deleted Tenant: under Retain the database stays and the registry record is marked deleted
 * (the tenant id stays claimed, for its namespace to adopt deliberately); under Delete the record,
 * the database user and the database go (where the tenant runs, and the target of a move under
 * way), then the tenant id is free. Only what this Tenant owns is touched: a Tenant that never
 * claimed its id just loses its finalizer. The finalizer comes off only once cleanup succeeded; a
 * failure is reported in status and an Event, and retried.
 */
export async function finalizeTenant(
  scope: TenantScope,
  ledger: PlacementLedger,
  tenant: Tenant,
): Promise<ReconcileOutcome> {
  if (!(tenant.metadata.finalizers ?? []).includes(TENANT_FINALIZER)) return undefined;
  const tenantId = tenantIdOf(tenant);
  try {
    const record = await scope.deps.provisioning.get(tenantId);
    if (record?.owner.uid === scope.owner.uid) {
      if (tenant.spec.deletionPolicy === 'Retain') {
        await retireRecord(scope, tenant);
        await scope.event(
          'Normal',
          'Retained',
          'deletionPolicy Retain: database kept, registry record marked deleted',
        );
      } else {
        await removeRecord(scope, tenant);
        await dropEveryCopy(scope, record);
        await scope.deps.provisioning.release(tenantId, scope.owner.uid);
        await ledger.forget(tenantId);
        await scope.event(
          'Normal',
          'Deleted',
          'deletionPolicy Delete: registry record, database user and database removed',
        );
      }
    }
  } catch (error) {
    const message = `cleanup failed, will retry: ${safeMessage(error)}`;
    const failure = new StepFailure(ConditionType.Ready, Reason.CleanupFailed, message);
    const status = computeTenantStatus(
      tenant,
      {
        conditions: [],
        blocker: failure,
        cluster: undefined,
        database: undefined,
        secretName: undefined,
        adminSecretName: undefined,
        move: undefined,
      },
      scope.clock.date(),
      'Deleting',
    );
    await writeTenantStatus(scope, tenant, status, { readyEvent: true });
    await scope.event('Warning', Reason.CleanupFailed, message);
    throw failure;
  }
  await mergePatchCustomObject(scope.deps.kube, scope.ref.resource, {
    metadata: {
      finalizers: (tenant.metadata.finalizers ?? []).filter((f) => f !== TENANT_FINALIZER),
      resourceVersion: tenant.metadata.resourceVersion,
    },
  });
  return undefined;
}

/** Every copy of the database this Tenant owns: where it runs, and a move's target under way. */
async function dropEveryCopy(scope: TenantScope, record: ProvisioningRecord): Promise<void> {
  const move = record.move;
  const moveTarget = move?.phase === 'Copying' || move?.phase === 'Switching' ? move.toCluster : undefined;
  for (const name of new Set([record.cluster ?? undefined, moveTarget])) {
    if (!name) continue;
    const cluster = scope.findCluster(name);
    if (!cluster) throw new Error(`MongoCluster ${name} does not exist, so the database cannot be dropped`);
    const connection = await scope.deps.clusters.get(cluster);
    if (!(await ownsDatabase(connection.client.db(record.database), scope.owner.uid))) continue;
    await dropTenantDatabase(connection.client, record.database, record._id);
  }
}
