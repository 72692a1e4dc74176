import { applyMigrations } from '../../../../../contract/src/tenant-db/index.ts';
import type { ClusterConnection } from '../../../provisioning/cluster-connections.ts';
import { databaseNameFor } from '../../../provisioning/names.ts';
import { type Tenant, tenantIdOf } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import type { TenantScope } from '../scope.ts';

/** The name of the tenant's database. */
export function databaseOf(tenant: Tenant): string {
  return tenant.status?.database ?? databaseNameFor(tenantIdOf(tenant));
}

/** The tenant's database, at the latest schema version (created by its first migration). */
export async function ensureDatabase(
  scope: TenantScope,
  connection: ClusterConnection,
  database: string,
): Promise<StepOutcome> {
  try {
    const result = await applyMigrations(connection.client.db(database), { now: () => scope.clock.date() });
    if (result.applied.length > 0) {
      const what = result.from === 0 ? `created database ${database}` : `migrated database ${database}`;
      await scope.event('Normal', 'Migrated', `${what} to schema version ${result.to}`);
    }
    return {
      condition: {
        type: ConditionType.DatabaseReady,
        status: 'True',
        reason: Reason.SchemaCurrent,
        message: `database ${database} at schema version ${result.to}`,
      },
    };
  } catch (error) {
    throw new StepFailure(
      ConditionType.DatabaseReady,
      Reason.MigrationFailed,
      `migrating ${database}: ${safeMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}
