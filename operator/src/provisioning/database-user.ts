import { MongoClient, MongoServerError } from 'mongodb';
import type { ServerFlavour } from './server-info.ts';

/**
 * The tenant's own database user. MongoDB gets readWrite and dbAdmin on the tenant database only.
 * FerretDB v1 accepts no roles (`roles: []`) and has no authorization: its users authenticate but
 * are not confined to a database, which docs/operator.md states plainly.
 */
export interface DatabaseUserSpec {
  readonly database: string;
  readonly username: string;
  readonly password: string;
  readonly flavour: ServerFlavour;
}

export type UserChange = 'unchanged' | 'created' | 'passwordReset';

function rolesFor(spec: DatabaseUserSpec): Array<{ role: string; db: string }> {
  return spec.flavour === 'ferretdb'
    ? []
    : [
        { role: 'readWrite', db: spec.database },
        { role: 'dbAdmin', db: spec.database },
      ];
}

export async function userExists(admin: MongoClient, database: string, username: string): Promise<boolean> {
  const result = await admin.db(database).command({ usersInfo: { user: username, db: database } });
  return Array.isArray(result.users) && result.users.length > 0;
}

/** Whether the credentials authenticate against the tenant database: a read, no write. */
export async function credentialsWork(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 10_000,
    maxPoolSize: 1,
  });
  try {
    await client.db().command({ ping: 1 });
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && (error.code === 18 || /auth/i.test(error.message))) return false;
    throw error;
  } finally {
    await client.close();
  }
}

/**
 * Makes the user exist with `password`. `knownGood` says the password was just checked to work,
 * so nothing is written.
 */
export async function ensureDatabaseUser(
  admin: MongoClient,
  spec: DatabaseUserSpec,
  state: { exists: boolean; passwordWorks: boolean },
): Promise<UserChange> {
  const db = admin.db(spec.database);
  if (!state.exists) {
    try {
      await db.command({ createUser: spec.username, pwd: spec.password, roles: rolesFor(spec) });
      return 'created';
    } catch (error) {
      // Created by a pass that crashed before recording it: fall through to a password reset.
      if (
        !(
          error instanceof MongoServerError &&
          (error.code === 51003 || /already exists/i.test(error.message))
        )
      ) {
        throw error;
      }
    }
  } else if (state.passwordWorks) {
    return 'unchanged';
  }
  await db.command({ updateUser: spec.username, pwd: spec.password });
  return 'passwordReset';
}

export async function dropDatabaseUser(
  admin: MongoClient,
  database: string,
  username: string,
): Promise<boolean> {
  try {
    await admin.db(database).command({ dropUser: username });
    return true;
  } catch (error) {
    if (error instanceof MongoServerError && (error.code === 11 || /not found/i.test(error.message)))
      return false;
    throw error;
  }
}
