import test from 'ava';
import { MongoClient } from 'mongodb';
import { generatePassword } from '../../contract/src/tenant-db/index.ts';
import { buildTenantUri, parseMongoUri } from '../../operator/src/provisioning/connection-uri.ts';
import {
  credentialsWork,
  dropDatabaseUser,
  ensureDatabaseUser,
  userExists,
} from '../../operator/src/provisioning/database-user.ts';
import { databaseNameFor, databaseUserFor } from '../../operator/src/provisioning/names.ts';
import { detectServer } from '../../operator/src/provisioning/server-info.ts';
import { safeMessage } from '../../operator/src/safe-message.ts';
import { testServers, uniqueName } from '../harness/env.ts';

test('tenant URIs keep the admin hosts and options, and URL-encode the credentials', (t) => {
  const uri = buildTenantUri({
    adminUri: 'mongodb://root:pw@h1:27017,h2:27018/?authSource=admin&tls=true',
    username: 'atrium_acme',
    password: 'p@ss:w/rd%?#',
    database: 'tenant_acme',
  });
  t.is(
    uri,
    'mongodb://atrium_acme:p%40ss%3Aw%2Frd%25%3F%23@h1:27017,h2:27018/tenant_acme?tls=true&authSource=tenant_acme',
  );
  t.is(parseMongoUri(uri).hosts, 'h1:27017,h2:27018');
  t.throws(() => parseMongoUri('postgres://x'), { message: /not a mongodb/ });
});

test('database and user names are bounded, readable and distinct', (t) => {
  t.is(databaseNameFor('acme-uni'), 'tenant_acme_uni');
  const long = 'a'.repeat(63);
  t.true(databaseNameFor(long).length <= 63);
  t.not(databaseNameFor(`${long.slice(0, 62)}b`), databaseNameFor(long));
  t.is(databaseUserFor('acme'), 'atrium_acme');
});

test('the server flavour and version are detected', async (t) => {
  const client = new MongoClient(testServers.mongoUris()[0] ?? '');
  t.teardown(() => client.close());
  const info = await detectServer(client);
  t.is(info.flavour, testServers.mongoFlavour());
  t.regex(info.version, /^\d+\.\d+/);
});

test('a tenant user is created, authenticates, is reset when its password is lost, and is dropped', async (t) => {
  const adminUri = testServers.mongoUris()[0] ?? '';
  const admin = new MongoClient(adminUri);
  const database = uniqueName('tenant');
  const username = uniqueName('user');
  t.teardown(async () => {
    await dropDatabaseUser(admin, database, username).catch(() => undefined);
    await admin.db(database).dropDatabase();
    await admin.close();
  });
  const { flavour } = await detectServer(admin);
  await admin.db(database).collection('probe').insertOne({ ok: 1 });
  const password = `${generatePassword()}@:/%`;
  const uri = buildTenantUri({ adminUri, username, password, database });

  t.false(await userExists(admin, database, username));
  t.is(
    await ensureDatabaseUser(
      admin,
      { database, username, password, flavour },
      { exists: false, passwordWorks: false },
    ),
    'created',
  );
  t.true(await userExists(admin, database, username));
  t.true(await credentialsWork(uri));
  t.is(
    await ensureDatabaseUser(
      admin,
      { database, username, password, flavour },
      { exists: true, passwordWorks: true },
    ),
    'unchanged',
  );

  // A lost password: a new one is set and the old one stops working.
  const replacement = generatePassword();
  const newUri = buildTenantUri({ adminUri, username, password: replacement, database });
  t.false(await credentialsWork(newUri));
  t.is(
    await ensureDatabaseUser(
      admin,
      { database, username, password: replacement, flavour },
      { exists: true, passwordWorks: false },
    ),
    'passwordReset',
  );
  t.true(await credentialsWork(newUri));
  t.false(await credentialsWork(uri));

  // "Not created yet" when it was (a crash after createUser) converges too.
  t.is(
    await ensureDatabaseUser(
      admin,
      { database, username, password, flavour },
      { exists: false, passwordWorks: false },
    ),
    'passwordReset',
  );
  t.true(await credentialsWork(uri));

  t.true(await dropDatabaseUser(admin, database, username));
  t.false(await userExists(admin, database, username));
  t.false(await dropDatabaseUser(admin, database, username));
});

test('safe messages drop credentials, secrets and everything after the first line', (t) => {
  t.is(
    safeMessage(new Error('connect failed for mongodb://user:p%40ss@h1:27017/db\nstack…')),
    'connect failed for mongodb://***@h1:27017/db',
  );
  t.is(safeMessage('password=hunter2 rejected'), 'password=*** rejected');
  t.true(safeMessage(new Error('x'.repeat(2000))).length <= 512);
});
