import test from 'ava';
import { MongoClient } from 'mongodb';
import {
  ACCOUNTS_COLLECTION,
  applyMigrations,
  findAccountByEmail,
  hashPassword,
  LATEST_SCHEMA_VERSION,
  readSchemaVersion,
  SCHEMA_COLLECTION,
  seedAdmin,
  verifyPassword,
} from '../../contract/src/tenant-db/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';

async function tenantDb(t: { teardown: (fn: () => Promise<void>) => void }) {
  const client = new MongoClient(testServers.mongoUris()[0] ?? '');
  const db = client.db(uniqueName('tdb'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  return db;
}

test('scrypt hashes verify the right password only, and are salted', async (t) => {
  const a = await hashPassword('correct horse');
  const b = await hashPassword('correct horse');
  t.not(a, b);
  t.regex(a, /^scrypt\$N=32768,r=8,p=1\$[\w-]+\$[\w-]+$/);
  t.true(await verifyPassword('correct horse', a));
  t.false(await verifyPassword('correct horsf', a));
  t.false(await verifyPassword('correct horse', 'plaintext'));
  t.false(await verifyPassword('x', 'scrypt$N=1099511627776,r=8,p=1$AA$AA'));
});

test('migrations reach the latest version, create the indexes, and a second run writes nothing', async (t) => {
  const db = await tenantDb(t);
  const first = await applyMigrations(db);
  t.is(first.from, 0);
  t.is(first.to, LATEST_SCHEMA_VERSION);
  t.is(await readSchemaVersion(db), LATEST_SCHEMA_VERSION);
  const indexes = (await db.collection(ACCOUNTS_COLLECTION).indexes()).map((i) => i.name);
  t.true(indexes.includes('email_unique'));
  const record = await db.collection(SCHEMA_COLLECTION).findOne({});
  const second = await applyMigrations(db);
  t.deepEqual(second.applied, []);
  t.deepEqual(await db.collection(SCHEMA_COLLECTION).findOne({}), record, 'the version record is untouched');
});

test('a crash after a migration but before its record heals by re-running it', async (t) => {
  const db = await tenantDb(t);
  await applyMigrations(db, { target: 1 });
  // Migration 2 ran, the process died before recording it.
  await db
    .collection('refresh_tokens')
    .createIndex({ tokenHash: 1 }, { unique: true, name: 'token_hash_unique' });
  const healed = await applyMigrations(db);
  t.is(healed.from, 1);
  t.is(healed.to, LATEST_SCHEMA_VERSION);
});

test('seedAdmin creates the admin once, stores only a scrypt hash, and never overwrites', async (t) => {
  const db = await tenantDb(t);
  await applyMigrations(db);
  t.true(await seedAdmin(db, { email: ' Admin@Example.org ', password: 'first-password' }));
  const account = await findAccountByEmail(db, 'admin@example.org');
  t.like(account, { role: 'admin', mustChangePassword: true, email: 'admin@example.org' });
  t.false(JSON.stringify(account).includes('first-password'));
  t.true(await verifyPassword('first-password', account?.passwordHash ?? ''));
  t.false(await seedAdmin(db, { email: 'admin@example.org', password: 'second-password' }));
  t.true(
    await verifyPassword(
      'first-password',
      (await findAccountByEmail(db, 'admin@example.org'))?.passwordHash ?? '',
    ),
  );
});
