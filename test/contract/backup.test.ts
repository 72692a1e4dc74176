import test from 'ava';
import type { Db } from 'mongodb';
import { readIndexSpecs } from '../../contract/src/backup/database.ts';
import {
  type BackupKey,
  backupPaths,
  compareDatabase,
  digestCollection,
  isBackupError,
  listBackups,
  listDumpableCollections,
  readAtriumVersion,
  restoreBackup,
  writeBackup,
} from '../../contract/src/backup/index.ts';
import { LATEST_SCHEMA_VERSION } from '../../contract/src/tenant-db/index.ts';
import { type BackupFixture, openBackupFixture, randomBackupKey, seedLmsData } from './backup-fixtures.ts';

let fx: BackupFixture;
test.before(async () => {
  fx = await openBackupFixture();
});
test.after.always(async () => {
  await fx?.close();
});

const atriumVersion = readAtriumVersion();

/** Everything a restore could change: per collection, its count, checksum and indexes. */
async function snapshot(db: Db): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const { name } of (await db.listCollections({}, { nameOnly: true }).toArray()).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    state[name] = { ...(await digestCollection(db, name)), indexes: await readIndexSpecs(db, name) };
  }
  return state;
}

async function backUp(db: Db, tenant: string, backupId: string, key: BackupKey, chunkBytes?: number) {
  return writeBackup(db, fx.storage.forTenant(tenant), {
    backupId,
    key,
    clock: fx.clock,
    atriumVersion,
    ...(chunkBytes ? { chunkBytes } : {}),
  });
}

test('backup → collections dropped, grades mangled, an index lost, a stray collection → restore: every document and index identical', async (t) => {
  const db = await fx.database();
  await seedLmsData(db);
  const key = randomBackupKey();
  const manifest = await backUp(db, 'roundtrip', 'nightly-1', key);

  t.is(manifest.tenantId, 'roundtrip');
  t.is(manifest.schemaVersion, LATEST_SCHEMA_VERSION);
  t.is(manifest.atriumVersion, atriumVersion);
  t.is(manifest.createdAt, '2026-01-05T08:00:00.000Z', 'the injected clock, not the machine');
  t.false(manifest.media.objectsIncluded);
  const byName = Object.fromEntries(manifest.collections.map((c) => [c.name, c]));
  t.is(byName.submissions?.documents, 300);
  t.is(byName.empty_collection?.documents, 0);
  t.true(byName.submissions?.indexes.some((i) => i.name === 'grade_desc_account'));
  t.deepEqual(await compareDatabase(db, manifest.collections), [], 'the dump is what the database holds');
  t.log(
    `${manifest.totals.documents} documents in ${manifest.totals.collections} collections: ` +
      `${manifest.totals.bytes} BSON bytes, ${manifest.object.plaintextBytes} dumped, ${manifest.object.bytes} stored`,
  );

  const before = await snapshot(db);
  await db.collection('courses').drop();
  await db.collection('accounts').drop();
  await db.collection('submissions').updateMany({}, { $set: { grade: 0 } });
  await db.collection('submissions').dropIndex('grade_desc_account');
  await db.collection('submissions').deleteMany({ attempt: 2 });
  await db.collection('stray').insertOne({ injected: true });
  t.notDeepEqual(await snapshot(db), before);

  const result = await restoreBackup(fx.storage.forTenant('roundtrip'), 'nightly-1', db, { keys: key });
  t.deepEqual(result.dropped, ['stray']);
  t.deepEqual(await compareDatabase(db, manifest.collections), []);
  t.deepEqual(
    await snapshot(db),
    before,
    'documents (byte for byte, types included) and indexes as backed up',
  );

  // The same backup restored into a database that never existed: a clone.
  const clone = fx.emptyDatabase('clone');
  await restoreBackup(fx.storage.forTenant('roundtrip'), 'nightly-1', clone, {
    keys: [randomBackupKey('old'), key],
  });
  t.deepEqual(await snapshot(clone), before);
});

test('a tampered or truncated object fails the restore and leaves the target unchanged', async (t) => {
  const source = await fx.database();
  await seedLmsData(source);
  const key = randomBackupKey();
  // Small chunks: the object has many, so cuts can fall on a chunk boundary.
  const chunk = 512;
  const manifest = await backUp(source, 'tamper', 'b1', key, chunk);
  const store = fx.storage.forTenant('tamper');
  const objectKey = store.keyFor(backupPaths.data('b1'));
  const original = await fx.readObject(objectKey);
  t.is(original.length, manifest.object.bytes);

  const target = await fx.database('target');
  await target.collection('courses').insertOne({ _id: 'kept' as never, code: 'KEEP' });
  const before = await snapshot(target);

  const headerEnd = 10 + original.readUInt16BE(8);
  const frame = 1 + 4 + 12 + chunk + 16;
  t.true(original.length > headerEnd + 4 * frame, 'several chunks');
  const flipped = Buffer.from(original);
  flipped[headerEnd + frame * 2 + 100] = (flipped[headerEnd + frame * 2 + 100] as number) ^ 0x01;
  const lastFrameDropped = original.subarray(
    0,
    headerEnd + frame * Math.floor((original.length - headerEnd) / frame),
  );
  const swapped = Buffer.concat([
    original.subarray(0, headerEnd),
    original.subarray(headerEnd + frame, headerEnd + 2 * frame),
    original.subarray(headerEnd, headerEnd + frame),
    original.subarray(headerEnd + 2 * frame),
  ]);
  const cases: Array<[string, Buffer, string]> = [
    ['one bit flipped in a chunk', flipped, 'OBJECT_REJECTED'],
    ['cut on a chunk boundary (the final chunk gone)', lastFrameDropped, 'OBJECT_TRUNCATED'],
    ['cut inside a chunk', original.subarray(0, Math.floor(original.length / 2)), 'OBJECT_TRUNCATED'],
    ['two chunks swapped', swapped, 'OBJECT_REJECTED'],
    ['bytes appended', Buffer.concat([original, Buffer.from('more')]), 'OBJECT_MALFORMED'],
    [
      'the header altered',
      Buffer.from(original.toString('latin1').replace('"chunkBytes":512', '"chunkBytes":513'), 'latin1'),
      'OBJECT_REJECTED',
    ],
  ];
  for (const [what, bytes, code] of cases) {
    await fx.writeObject(objectKey, bytes);
    const error = await t.throwsAsync(restoreBackup(store, 'b1', target, { keys: key }), undefined, what);
    t.true(isBackupError(error, code as never), `${what}: ${error?.message}`);
    t.deepEqual(await snapshot(target), before, `${what}: the target is untouched, no staging left`);
  }

  // A manifest whose checksum or count was edited is refused by its MAC before any data is read.
  await fx.writeObject(objectKey, original);
  const manifestKey = store.keyFor(backupPaths.manifest('b1'));
  const text = (await fx.readObject(manifestKey)).toString('utf8');
  await fx.writeObject(manifestKey, text.replace('"documents": 300', '"documents": 299'));
  const edited = await t.throwsAsync(restoreBackup(store, 'b1', target, { keys: key }));
  t.true(isBackupError(edited, 'MANIFEST_REJECTED'), edited?.message);
  t.deepEqual(await snapshot(target), before);

  // Restored intact, the same object restores.
  await fx.writeObject(manifestKey, text);
  await restoreBackup(store, 'b1', target, { keys: key });
  t.deepEqual(await compareDatabase(target, manifest.collections), []);
});

test('the wrong key, or a key of another kid, fails before anything is written', async (t) => {
  const source = await fx.database();
  await seedLmsData(source, { accounts: 5, courses: 2, submissions: 10 });
  const key = randomBackupKey('2026-01');
  await backUp(source, 'keys', 'b1', key);
  const store = fx.storage.forTenant('keys');
  const target = await fx.database('target');
  const before = await snapshot(target);

  const wrong = await t.throwsAsync(restoreBackup(store, 'b1', target, { keys: randomBackupKey('2026-01') }));
  t.true(isBackupError(wrong, 'WRONG_KEY'), wrong?.message);
  const unknown = await t.throwsAsync(
    restoreBackup(store, 'b1', target, { keys: randomBackupKey('2026-02') }),
  );
  t.true(isBackupError(unknown, 'KEY_UNKNOWN'), unknown?.message);
  t.deepEqual(await snapshot(target), before);
  t.notRegex(wrong?.message ?? '', /[A-Za-z0-9+/]{40,}/, 'no key material in the message');
});

test('only backups whose manifest is present and valid are listed as restorable; ids are never reused', async (t) => {
  const db = await fx.database();
  await seedLmsData(db, { accounts: 3, courses: 1, submissions: 3 });
  const key = randomBackupKey();
  const store = fx.storage.forTenant('listing');
  await backUp(db, 'listing', 'first', key);
  fx.clock.advance(60_000);
  await backUp(db, 'listing', 'second', key);
  await backUp(db, 'listing', 'unfinished', key);
  await store.delete(backupPaths.manifest('unfinished'));
  await backUp(db, 'listing', 'garbled', key);
  await store.put(backupPaths.manifest('garbled'), '{"format": "atrium-backup/v1", "tenantId": ');

  const listing = await listBackups(store);
  t.deepEqual(
    listing.restorable.map((m) => m.backupId),
    ['first', 'second'],
  );
  t.deepEqual([...listing.incomplete].sort(), ['garbled', 'unfinished']);
  const missing = await t.throwsAsync(restoreBackup(store, 'unfinished', fx.emptyDatabase(), { keys: key }));
  t.true(isBackupError(missing, 'BACKUP_NOT_FOUND'), missing?.message);

  const again = await t.throwsAsync(backUp(db, 'listing', 'first', key));
  t.true(isBackupError(again, 'BACKUP_EXISTS'), 'a complete backup is never overwritten');
  // An unfinished one is simply written again.
  await backUp(db, 'listing', 'unfinished', key);
  t.deepEqual((await listBackups(store)).restorable.map((m) => m.backupId).sort(), [
    'first',
    'second',
    'unfinished',
  ]);
});

test("tenant A's backups cannot be addressed, listed or restored through tenant B's store", async (t) => {
  const db = await fx.database();
  await seedLmsData(db, { accounts: 3, courses: 1, submissions: 3 });
  const key = randomBackupKey();
  await backUp(db, 'school-a', 'secret', key);
  const a = fx.storage.forTenant('school-a');
  const b = fx.storage.forTenant('school-b');
  // A prefix of A's id: `tenants/school-a/` is not under `tenants/school/`.
  const prefixOfA = fx.storage.forTenant('school');

  for (const crafted of [
    '../school-a/backups/secret/manifest.json',
    'backups/../../school-a/backups/secret/manifest.json',
    '/atrium/tenants/school-a/backups/secret/manifest.json',
    'backups/./secret',
    'backups//secret',
    '..',
    '',
    '%2e%2e/school-a/backups/secret/manifest.json',
    'backups\\..\\..\\school-a',
    'backups/secret\u0000',
  ]) {
    const error = t.throws(() => b.keyFor(crafted), undefined, JSON.stringify(crafted));
    t.is((error as { code?: string } | undefined)?.code, 'KEY_OUTSIDE_TENANT', JSON.stringify(crafted));
  }
  for (const tenant of ['../school-a', 'School-A', '', 'school-a/backups', 'a'.repeat(64)]) {
    t.throws(() => fx.storage.forTenant(tenant), undefined, JSON.stringify(tenant));
  }
  t.is((await listBackups(b)).restorable.length, 0);
  t.is((await listBackups(prefixOfA)).restorable.length, 0);
  t.deepEqual(await b.list('backups/'), []);
  t.is((await listBackups(a)).restorable.length, 1);
  const notThere = await t.throwsAsync(restoreBackup(b, 'secret', fx.emptyDatabase(), { keys: key }));
  t.true(isBackupError(notThere, 'BACKUP_NOT_FOUND'));

  // Someone with bucket access copies A's backup under B's prefix: B's restore still refuses it,
  // whether the manifest is left as it was or edited to name B.
  const manifest = (await fx.readObject(a.keyFor(backupPaths.manifest('secret')))).toString('utf8');
  await fx.writeObject(
    b.keyFor(backupPaths.data('secret')),
    await fx.readObject(a.keyFor(backupPaths.data('secret'))),
  );
  await fx.writeObject(b.keyFor(backupPaths.manifest('secret')), manifest);
  const copied = await t.throwsAsync(restoreBackup(b, 'secret', fx.emptyDatabase(), { keys: key }));
  t.true(isBackupError(copied, 'MANIFEST_INVALID'), copied?.message);
  await fx.writeObject(
    b.keyFor(backupPaths.manifest('secret')),
    manifest.replace('"tenantId": "school-a"', '"tenantId": "school-b"'),
  );
  const relabelled = await t.throwsAsync(restoreBackup(b, 'secret', fx.emptyDatabase(), { keys: key }));
  t.true(isBackupError(relabelled, 'MANIFEST_REJECTED'), relabelled?.message);
});

test('restore drops leftover staging collections and never dumps them', async (t) => {
  const db = await fx.database();
  await seedLmsData(db, { accounts: 3, courses: 1, submissions: 3 });
  await db.collection('atrium_restore__accounts').insertOne({ left: 'by an interrupted restore' });
  const key = randomBackupKey();
  const manifest = await backUp(db, 'staging', 'b1', key);
  t.false(manifest.collections.some((c) => c.name.startsWith('atrium_restore__')));
  await restoreBackup(fx.storage.forTenant('staging'), 'b1', db, { keys: key });
  t.false(
    (await db.listCollections({}, { nameOnly: true }).toArray()).some((c) =>
      c.name.startsWith('atrium_restore__'),
    ),
  );
  t.deepEqual(
    (await listDumpableCollections(db)).map((c) => c.name),
    manifest.collections.map((c) => c.name),
  );
});
