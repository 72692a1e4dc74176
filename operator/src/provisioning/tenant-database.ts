import type { MongoClient } from 'mongodb';
import { dropDatabaseUser } from './database-user.ts';
import { databaseUserFor } from './names.ts';

/**
 * Drops a tenant's database and its users on one cluster: the source after a move that asked for
 * it, or every copy when a Tenant is deleted under deletionPolicy Delete. Idempotent.
 */
export async function dropTenantDatabase(
  admin: MongoClient,
  database: string,
  tenantId: string,
): Promise<void> {
  // Both of the tenant's users: the live one and the one it alternates with on rotation.
  for (const slot of ['primary', 'secondary'] as const) {
    await dropDatabaseUser(admin, database, databaseUserFor(tenantId, slot));
  }
  await admin.db(database).dropDatabase();
}
