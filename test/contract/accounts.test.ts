import test from 'ava';
import { MongoClient } from 'mongodb';
import {
  ACCOUNTS_COLLECTION,
  AccountRecord,
  applyMigrations,
  findAccountByEmail,
  hashPassword,
  seedAdmin,
} from '../../contract/src/tenant-db/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';

async function tenantDb(t: { teardown: (fn: () => Promise<void>) => void }) {
  const client = new MongoClient(testServers.mongoUris()[0] ?? '');
  const db = client.db(uniqueName('accounts'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  await applyMigrations(db);
  return db;
}

test('the admin seed writes the account record the API reads: active, at version 1', async (t) => {
  const db = await tenantDb(t);
  t.true(await seedAdmin(db, { email: 'Admin@Example.org', password: 'first-password' }));
  const stored = await db.collection(ACCOUNTS_COLLECTION).findOne({ email: 'admin@example.org' });
  const record = AccountRecord.parse(stored);
  t.like(record, { role: 'admin', status: 'active', version: 1, mustChangePassword: true });
});

test('an admin seeded before accounts had status and version reads as active, at version 1', async (t) => {
  const db = await tenantDb(t);
  const at = new Date('2026-01-05T08:00:00Z');
  // What an older operator's seed left: the record without status and version.
  await db.collection(ACCOUNTS_COLLECTION).insertOne({
    _id: 'admin-legacy' as never,
    email: 'legacy@example.org',
    displayName: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword('legacy-password'),
    mustChangePassword: true,
    createdAt: at,
    updatedAt: at,
  });
  const account = await findAccountByEmail(db, 'legacy@example.org');
  t.notThrows(() => AccountRecord.parse(account));
  t.like(account, { status: 'active', version: 1 });
});
