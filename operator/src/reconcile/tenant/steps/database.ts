import type { Db } from 'mongodb';
import type { TenantOwner } from '../../../../../contract/src/registry/index.ts';
import { applyMigrations } from '../../../../../contract/src/tenant-db/index.ts';
import type { ClusterConnection } from '../../../provisioning/cluster-connections.ts';
import type { ProvisioningRecord } from '../../../provisioning/provisioning-records.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import { type TenantScope, unreachable } from '../scope.ts';

/**
 * The owner of a tenant database, recorded in the database itself (collection `atrium_owner`):
 * a second guard beside the provisioning record, so a registry that was lost or rebuilt can never
 * point one Tenant at another's data.
 */
const OWNER_COLLECTION = 'atrium_owner';
const OWNER_ID = 'owner';

interface DatabaseOwner extends TenantOwner {
  _id: typeof OWNER_ID;
  tenantId: string;
}

/**
 * The tenant's database, owned by this Tenant and at the latest schema version (created by its
 * first migration). A database another Tenant owns is refused before anything is written to it.
 */
export async function ensureDatabase(
  scope: TenantScope,
  connection: ClusterConnection,
  record: ProvisioningRecord,
): Promise<StepOutcome & { schemaVersion: number }> {
  const database = record.database;
  const db = connection.client.db(database);
  try {
    await ensureDatabaseOwner(db, record);
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw (
      unreachable(connection, ConditionType.DatabaseReady, error) ??
      new StepFailure(
        ConditionType.DatabaseReady,
        Reason.MigrationFailed,
        `database ${database}: ${safeMessage(error)}`,
        {
          cause: error,
        },
      )
    );
  }
  try {
    const result = await applyMigrations(db, { now: () => scope.clock.date() });
    if (result.applied.length > 0) {
      const what = result.from === 0 ? `created database ${database}` : `migrated database ${database}`;
      scope.note('Migrated', `${what} to schema version ${result.to}`);
    }
    return {
      schemaVersion: result.to,
      condition: {
        type: ConditionType.DatabaseReady,
        status: 'True',
        reason: Reason.SchemaCurrent,
        message: `database ${database} at schema version ${result.to}`,
      },
    };
  } catch (error) {
    throw (
      unreachable(connection, ConditionType.DatabaseReady, error) ??
      new StepFailure(
        ConditionType.DatabaseReady,
        Reason.MigrationFailed,
        `migrating ${database}: ${safeMessage(error)}`,
        {
          cause: error,
        },
      )
    );
  }
}

/**
 * Records this Tenant as the database's owner (a database written before owners were recorded has
 * none), takes it over from the owner an adoption names, and refuses any other owner.
 */
async function ensureDatabaseOwner(db: Db, record: ProvisioningRecord): Promise<void> {
  const owners = db.collection<DatabaseOwner>(OWNER_COLLECTION);
  const current = await owners.findOne({ _id: OWNER_ID });
  if (current?.uid === record.owner.uid) return;
  if (current && current.uid !== record.adoptedFrom) {
    throw new StepFailure(
      ConditionType.DatabaseReady,
      Reason.TenantIdTaken,
      `database ${record.database} belongs to another Tenant`,
      { stalled: true },
    );
  }
  const owner: DatabaseOwner = { _id: OWNER_ID, tenantId: record._id, ...record.owner };
  await owners.replaceOne({ _id: OWNER_ID, ...(current ? { uid: current.uid } : {}) }, owner, {
    upsert: true,
  });
}

/** Whether this Tenant owns the database (before dropping it). */
export async function ownsDatabase(db: Db, ownerUid: string): Promise<boolean> {
  const current = await db.collection<DatabaseOwner>(OWNER_COLLECTION).findOne({ _id: OWNER_ID });
  return current === null || current.uid === ownerUid;
}
