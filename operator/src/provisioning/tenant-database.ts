import type { MongoClient } from 'mongodb';
import { dropDatabaseUser } from './database-user.ts';

/**
 * Drops a tenant's database and its user on one cluster: the source after a move that asked for
 * it, or every copy when a Tenant is deleted under deletionPolicy Delete. Idempotent.
 */
export async function dropTenantDatabase(
  admin: MongoClient,
  database: string,
  username: string,
): Promise<void> {
  await dropDatabaseUser(admin, database, username);
  await admin.db(database).dropDatabase();
}
