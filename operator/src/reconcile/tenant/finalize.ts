import { mergePatchCustomObject } from '../../kube/clients.ts';
import type { ReconcileOutcome } from '../../kube/work-queue.ts';
import { databaseUserFor } from '../../provisioning/names.ts';
import { dropTenantDatabase } from '../../provisioning/tenant-database.ts';
import { TENANT_FINALIZER, type Tenant, tenantIdOf } from '../../resources/tenant.ts';
import { safeMessage } from '../../safe-message.ts';
import { ConditionType, Reason } from '../conditions.ts';
import { StepFailure } from '../step-failure.ts';
import type { TenantScope } from './scope.ts';
import { computeTenantStatus, writeTenantStatus } from './status.ts';
import { databaseOf } from './steps/database.ts';
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
 * A deleted Tenant: under Retain the database stays and the registry record is marked deleted;
 * under Delete the record, the database user and the database go (where the tenant runs, and the
 * target of a move under way). The finalizer comes off only once that succeeded; a failure is
 * reported in status and an Event, and retried.
 */
export async function finalizeTenant(
  scope: TenantScope,
  ledger: PlacementLedger,
  tenant: Tenant,
): Promise<ReconcileOutcome> {
  if (!(tenant.metadata.finalizers ?? []).includes(TENANT_FINALIZER)) return undefined;
  try {
    if (tenant.spec.deletionPolicy === 'Retain') {
      await retireRecord(scope, tenant);
      await scope.event(
        'Normal',
        'Retained',
        'deletionPolicy Retain: database kept, registry record marked deleted',
      );
    } else {
      await removeRecord(scope, tenant);
      await dropEveryCopy(scope, tenant);
      await scope.event(
        'Normal',
        'Deleted',
        'deletionPolicy Delete: registry record, database user and database removed',
      );
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
  ledger.forget(scope.ref.key);
  return undefined;
}

async function dropEveryCopy(scope: TenantScope, tenant: Tenant): Promise<void> {
  const tenantId = tenantIdOf(tenant);
  const database = databaseOf(tenant);
  const move = tenant.status?.move;
  const moveTarget = move?.phase === 'Copying' || move?.phase === 'Switching' ? move.toCluster : undefined;
  for (const name of new Set([tenant.status?.cluster, moveTarget])) {
    if (!name) continue;
    const cluster = scope.findCluster(name);
    if (!cluster) throw new Error(`MongoCluster ${name} does not exist, so the database cannot be dropped`);
    const connection = await scope.deps.clusters.get(cluster);
    await dropTenantDatabase(connection.client, database, databaseUserFor(tenantId));
  }
}
