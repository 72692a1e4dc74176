import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BSON, type Db, type Document } from 'mongodb';
import type { TenantObjectStore } from '../storage/object-store.ts';
import { LATEST_SCHEMA_VERSION } from '../tenant-db/migrations.ts';
import {
  CollectionDigest,
  createIndexes,
  decodeRecords,
  digestCollection,
  listDumpableCollections,
  RecordTag,
  STAGING_PREFIX,
} from './database.ts';
import { type BackupKey, ChunkDecryptor, selectKey } from './encryption.ts';
import { BackupError } from './errors.ts';
import { BackupId, type BackupManifest, backupPaths, parseManifest, verifyManifest } from './manifest.ts';

/** Longest collection name FerretDB accepts (MongoDB allows more): the staging name must fit. */
const MAX_COLLECTION_NAME_BYTES = 235;

/** Documents as the driver must send them back: every BSON type kept as it was (a double stays a double). */
const EXACT: BSON.DeserializeOptions = {
  promoteValues: false,
  promoteBuffers: false,
  promoteLongs: false,
  bsonRegExp: true,
};

export interface RestoreBackupOptions {
  /** The backup key, or every key a backup may have been written with (rotation). */
  readonly keys: BackupKey | readonly BackupKey[];
  /** Documents per insert (default 1000). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  readonly collections: number;
  readonly documents: number;
  /** Collections the target had that the backup did not: dropped at the swap. */
  readonly dropped: readonly string[];
}

/** The manifest of a complete backup; BACKUP_NOT_FOUND when it has none. */
export async function readManifest(store: TenantObjectStore, backupId: string): Promise<BackupManifest> {
  if (!BackupId.safeParse(backupId).success) {
    throw new BackupError('INVALID_BACKUP_ID', { backup: JSON.stringify(backupId) });
  }
  const text = await store.getText(backupPaths.manifest(backupId));
  if (text === undefined)
    throw new BackupError('BACKUP_NOT_FOUND', { tenant: store.tenantId, backup: backupId });
  return parseManifest(text, { tenantId: store.tenantId, backupId });
}

class Meter extends Transform {
  readonly #hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}

function stagingName(name: string): string {
  return `${STAGING_PREFIX}${name}`;
}

async function dropStaging(db: Db): Promise<void> {
  const staged = await db
    .listCollections({ name: { $regex: `^${STAGING_PREFIX}` } }, { nameOnly: true })
    .toArray();
  for (const { name } of staged)
    await db
      .collection(name)
      .drop()
      .catch(() => false);
}

/**
 * Restores a backup into `target`, all or nothing before the swap:
 *
 * 1. the manifest is read, its key found (WRONG_KEY, KEY_UNKNOWN) and its MAC checked;
 * 2. the object is streamed through the decryptor (every chunk authenticated before a byte of it
 *    is used) and gunzip into staging collections (`atrium_restore__<name>`), each collection's
 *    count and checksum compared with the manifest as its end is read;
 * 3. indexes are created on the staging collections, and the staging collections are read back
 *    and checksummed again — what the server now holds is what was backed up;
 * 4. only then the swap: collections the backup does not have are dropped, each target
 *    collection is dropped and its staging collection renamed in its place.
 *
 * A failure in 1–3 drops the staging collections and leaves the target as it was. The swap is not
 * atomic (no server offers a multi-collection rename); it runs while the tenant is drained, and
 * if it is interrupted, running the restore again completes it.
 */
export async function restoreBackup(
  store: TenantObjectStore,
  backupId: string,
  target: Db,
  options: RestoreBackupOptions,
): Promise<RestoreResult> {
  const manifest = await readManifest(store, backupId);
  const keys = Array.isArray(options.keys) ? options.keys : [options.keys as BackupKey];
  const key = selectKey(keys, manifest.encryption.kid, manifest.encryption.keyCheck);
  verifyManifest(manifest, key);
  const id = { tenantId: store.tenantId, backupId };
  if (manifest.schemaVersion > LATEST_SCHEMA_VERSION) {
    throw new BackupError('SCHEMA_TOO_NEW', {
      ...id,
      backupSchema: manifest.schemaVersion,
      known: LATEST_SCHEMA_VERSION,
    });
  }
  for (const { name } of manifest.collections) {
    if (Buffer.byteLength(stagingName(name)) > MAX_COLLECTION_NAME_BYTES) {
      throw new BackupError('COLLECTION_NAME_TOO_LONG', { ...id, collection: name });
    }
  }
  const batchSize = options.batchSize ?? 1_000;
  const mismatch = (collection: string, reason: string) =>
    new BackupError('CHECKSUM_MISMATCH', { ...id, collection, reason });
  const malformed = (reason: string) => new BackupError('OBJECT_MALFORMED', { ...id, reason });

  await dropStaging(target);
  try {
    const meter = new Meter();
    const body = await store.get(backupPaths.data(backupId), options.signal);
    let ended = false;
    await pipeline(
      body,
      meter,
      new ChunkDecryptor(key, id),
      createGunzip(),
      async (source: AsyncIterable<Buffer>) => {
        let index = 0;
        let current: { name: string; digest: CollectionDigest; batch: Document[] } | undefined;
        for await (const record of decodeRecords(source, malformed)) {
          if (ended) throw malformed('records after the end of the dump');
          if (record.tag === RecordTag.document) {
            if (!current) throw malformed('a document outside a collection');
            current.digest.add(record.bytes);
            current.batch.push(BSON.deserialize(record.bytes, EXACT));
            if (current.batch.length >= batchSize) {
              await target.collection(stagingName(current.name)).insertMany(current.batch, { ordered: true });
              current.batch = [];
            }
            continue;
          }
          const fields = BSON.deserialize(record.bytes);
          if (record.tag === RecordTag.collection) {
            const entry = manifest.collections[index];
            if (current || !entry || entry.name !== fields.name) {
              throw mismatch(String(fields.name), 'collections differ from the manifest');
            }
            const collectionOptions = BSON.EJSON.deserialize(entry.options, { relaxed: false }) as Document;
            await target.createCollection(stagingName(entry.name), collectionOptions);
            current = { name: entry.name, digest: new CollectionDigest(), batch: [] };
          } else if (record.tag === RecordTag.end) {
            const entry = manifest.collections[index];
            if (!current || !entry || entry.name !== fields.name)
              throw malformed('an unexpected collection end');
            if (current.batch.length > 0) {
              await target.collection(stagingName(current.name)).insertMany(current.batch, { ordered: true });
            }
            const sha256 = current.digest.finish();
            if (current.digest.documents !== entry.documents || sha256 !== entry.sha256) {
              throw mismatch(entry.name, 'the data object differs from the manifest');
            }
            if (fields.documents !== entry.documents || fields.sha256 !== entry.sha256) {
              throw mismatch(entry.name, "the dump's own record differs from the manifest");
            }
            current = undefined;
            index += 1;
          } else if (record.tag === RecordTag.dumpEnd) {
            if (current || index !== manifest.collections.length) throw malformed('the dump ends early');
            ended = true;
          }
        }
      },
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
    if (!ended) throw malformed('no end record');
    if (meter.bytes !== manifest.object.bytes || meter.digest() !== manifest.object.sha256) {
      throw new BackupError('OBJECT_REJECTED', {
        ...id,
        reason: 'object size or hash differs from the manifest',
      });
    }
    for (const entry of manifest.collections) {
      await createIndexes(target, stagingName(entry.name), entry.indexes);
      // Read back from the server: what it stores must be what was backed up, byte for byte.
      const stored = await digestCollection(target, stagingName(entry.name));
      if (stored.documents !== entry.documents || stored.sha256 !== entry.sha256) {
        throw mismatch(entry.name, 'the staged collection reads back differently');
      }
    }
  } catch (error) {
    await dropStaging(target);
    throw error;
  }

  // The swap.
  const wanted = new Set(manifest.collections.map((c) => c.name));
  const dropped: string[] = [];
  for (const { name } of await listDumpableCollections(target)) {
    if (wanted.has(name)) continue;
    await target.collection(name).drop();
    dropped.push(name);
  }
  const existing = new Set((await listDumpableCollections(target)).map((c) => c.name));
  for (const { name } of manifest.collections) {
    if (existing.has(name)) await target.collection(name).drop();
    await target.renameCollection(stagingName(name), name);
  }
  return {
    manifest,
    collections: manifest.collections.length,
    documents: manifest.totals.documents,
    dropped,
  };
}
