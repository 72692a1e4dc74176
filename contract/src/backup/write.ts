import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BSON, type Db } from 'mongodb';
import type { Clock } from '../clock.ts';
import type { TenantObjectStore } from '../storage/object-store.ts';
import { readSchemaVersion } from '../tenant-db/migrations.ts';
import {
  CollectionDigest,
  encodeRecord,
  listDumpableCollections,
  RecordTag,
  readIndexSpecs,
  readRawDocuments,
} from './database.ts';
import {
  type BackupKey,
  ChunkEncryptor,
  checkBackupKey,
  ENCRYPTION_ALGORITHM,
  keyCheckValue,
} from './encryption.ts';
import { BackupError } from './errors.ts';
import {
  BACKUP_FORMAT,
  BackupId,
  type BackupManifest,
  backupPaths,
  type CollectionEntry,
  signManifest,
} from './manifest.ts';

export interface WriteBackupOptions {
  readonly backupId: string;
  readonly key: BackupKey;
  readonly clock: Clock;
  /** Recorded in the manifest (readAtriumVersion()). */
  readonly atriumVersion: string;
  /** Plaintext bytes per encrypted chunk (default 1 MiB). */
  readonly chunkBytes?: number;
  /** Multipart part size (default 5 MiB, S3's minimum): the upload holds about three parts' worth. */
  readonly partSize?: number;
  readonly signal?: AbortSignal;
}

/** Counts bytes and hashes them on their way through. */
class Meter extends Transform {
  readonly #hash = createHash('sha256');
  bytes = 0;
  sha256 = '';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.sha256 = this.#hash.digest('hex');
    callback();
  }
}

/**
 * Writes one backup of `db` into the tenant's store: a streamed dump of every collection (raw
 * BSON in `_id` order, with its options and indexes) → gzip → chunked AES-256-GCM → a multipart
 * upload to `backups/<id>/data.atb`; then, last, the signed manifest. Memory stays bounded by a
 * cursor batch, a chunk and the upload's parts, whatever the tenant's size.
 *
 * The dump reads each collection once with its own cursor: it is a consistent snapshot only if
 * nothing writes to the database meanwhile (docs/backups.md). `compareDatabase(db, manifest
 * .collections)` afterwards proves the database still is what was dumped.
 *
 * An id that already has a manifest is refused (a backup is never overwritten); a data object
 * left by an attempt that failed before its manifest is simply replaced.
 */
export async function writeBackup(
  db: Db,
  store: TenantObjectStore,
  options: WriteBackupOptions,
): Promise<BackupManifest> {
  const { backupId, key, clock } = options;
  if (!BackupId.safeParse(backupId).success) {
    throw new BackupError('INVALID_BACKUP_ID', { backup: JSON.stringify(backupId) });
  }
  checkBackupKey(key);
  const id = { tenantId: store.tenantId, backupId };
  if ((await store.size(backupPaths.manifest(backupId))) !== undefined) {
    throw new BackupError('BACKUP_EXISTS', { tenant: id.tenantId, backup: backupId });
  }
  const createdAt = clock.date().toISOString();
  const schemaVersion = await readSchemaVersion(db);
  const collections = await listDumpableCollections(db);
  const entries: CollectionEntry[] = [];
  let plaintextBytes = 0;

  async function* dump(): AsyncGenerator<Buffer> {
    let documents = 0;
    for (const { name, options: collectionOptions } of collections) {
      const indexes = await readIndexSpecs(db, name);
      yield encodeRecord(RecordTag.collection, { name, options: collectionOptions });
      const digest = new CollectionDigest();
      for await (const document of readRawDocuments(db, name)) {
        digest.add(document);
        yield encodeRecord(RecordTag.document, document);
      }
      const sha256 = digest.finish();
      entries.push({
        name,
        options: BSON.EJSON.serialize(collectionOptions, { relaxed: false }) as Record<string, unknown>,
        documents: digest.documents,
        bytes: digest.bytes,
        sha256,
        indexes,
      });
      documents += digest.documents;
      yield encodeRecord(RecordTag.end, { name, documents: digest.documents, sha256 });
    }
    yield encodeRecord(RecordTag.dumpEnd, { collections: collections.length, documents });
  }

  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      plaintextBytes += chunk.length;
      callback(null, chunk);
    },
  });
  const meter = new Meter();
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const producing = pipeline(
      Readable.from(dump()),
      counted,
      createGzip(),
      new ChunkEncryptor(key, id, options.chunkBytes),
      meter,
      { signal: abort.signal },
    );
    const uploading = store.upload(backupPaths.data(backupId), meter, {
      partSize: options.partSize ?? 5 * 1024 * 1024,
      queueSize: 1,
      contentType: 'application/octet-stream',
      signal: abort.signal,
    });
    // Whichever side fails first stops the other: a failed upload must not leave the dump blocked
    // on backpressure, nor a failed dump leave a half-written upload.
    await Promise.all([
      producing.catch((error: unknown) => {
        abort.abort(error);
        throw error;
      }),
      uploading.catch((error: unknown) => {
        abort.abort(error);
        throw error;
      }),
    ]);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  const salt = randomBytes(16).toString('base64');
  const manifest = signManifest(
    {
      format: BACKUP_FORMAT,
      tenantId: id.tenantId,
      backupId,
      database: db.databaseName,
      createdAt,
      completedAt: clock.date().toISOString(),
      atriumVersion: options.atriumVersion,
      schemaVersion,
      compression: 'gzip',
      encryption: { algorithm: ENCRYPTION_ALGORITHM, kid: key.kid, keyCheck: keyCheckValue(key), salt },
      object: {
        path: 'data.atb',
        bytes: meter.bytes,
        sha256: meter.sha256,
        plaintextBytes,
      },
      collections: entries,
      totals: {
        collections: entries.length,
        documents: entries.reduce((sum, e) => sum + e.documents, 0),
        bytes: entries.reduce((sum, e) => sum + e.bytes, 0),
      },
      media: { objectsIncluded: false },
    },
    key,
  );
  await store.put(
    backupPaths.manifest(backupId),
    `${JSON.stringify(manifest, null, 2)}\n`,
    'application/json',
  );
  return manifest;
}
