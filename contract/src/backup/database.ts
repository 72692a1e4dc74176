import { createHash } from 'node:crypto';
import { BSON, type Db, type Document, type IndexDirection } from 'mongodb';
import type { CollectionEntry, IndexSpec } from './manifest.ts';

/**
 * How the backup reads and checks a tenant database. A collection's checksum is the SHA-256 of its
 * documents' BSON exactly as the server returns it (raw, never re-encoded by the driver, so a
 * double stays a double), in `_id` order: two databases whose checksums agree hold the same
 * documents with the same field order and types.
 */

/**
 * Collections a restore stages under before swapping them in (never dumped). No dot: FerretDB
 * refuses to rename a collection whose name has one.
 */
export const STAGING_PREFIX = 'atrium_restore__';

/** Collections that belong in a dump: no views, no system or staging collections. */
export async function listDumpableCollections(db: Db): Promise<Array<{ name: string; options: Document }>> {
  const infos = await db.listCollections({}, { nameOnly: false }).toArray();
  return infos
    .filter(
      (info) =>
        info.type !== 'view' && !info.name.startsWith('system.') && !info.name.startsWith(STAGING_PREFIX),
    )
    .map((info) => ({ name: info.name, options: (info as { options?: Document }).options ?? {} }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Index options worth carrying over; the rest (v, ns, background) belong to the server. */
const INDEX_OPTIONS = [
  'unique',
  'sparse',
  'expireAfterSeconds',
  'partialFilterExpression',
  'collation',
  'hidden',
  'weights',
  'default_language',
  'language_override',
  'wildcardProjection',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
];

export async function readIndexSpecs(db: Db, collection: string): Promise<IndexSpec[]> {
  const indexes = await db.collection(collection).listIndexes().toArray();
  return indexes
    .filter((index) => index.name !== '_id_')
    .map((index) => {
      const options: Document = {};
      for (const key of INDEX_OPTIONS) if (index[key] !== undefined) options[key] = index[key];
      return {
        name: String(index.name),
        key: Object.entries(index.key as Document).map(([field, value]) => [field, value as number | string]),
        options: BSON.EJSON.serialize(options, { relaxed: false }) as Record<string, unknown>,
      } satisfies IndexSpec;
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Creates the indexes of a spec list on `collection` (of `db`). */
export async function createIndexes(db: Db, collection: string, specs: readonly IndexSpec[]): Promise<void> {
  for (const spec of specs) {
    const options = BSON.EJSON.deserialize(spec.options, { relaxed: false }) as Document;
    const key = Object.fromEntries(spec.key) as Record<string, IndexDirection>;
    await db.collection(collection).createIndex(key, { ...options, name: spec.name });
  }
}

/** A collection's documents as raw BSON, in `_id` order, in batches. */
export function readRawDocuments(db: Db, collection: string, batchSize = 1_000): AsyncIterable<Uint8Array> {
  return db
    .collection(collection)
    .find({}, { sort: { _id: 1 }, batchSize, raw: true }) as unknown as AsyncIterable<Uint8Array>;
}

/** Count, bytes and SHA-256 of a run of BSON documents, fed in order. */
export class CollectionDigest {
  readonly #hash = createHash('sha256');
  documents = 0;
  bytes = 0;

  add(document: Uint8Array): void {
    this.#hash.update(document);
    this.documents += 1;
    this.bytes += document.byteLength;
  }

  /** Ends the digest: the hex SHA-256. */
  finish(): string {
    return this.#hash.digest('hex');
  }
}

export async function digestCollection(
  db: Db,
  collection: string,
): Promise<{ documents: number; bytes: number; sha256: string }> {
  const digest = new CollectionDigest();
  for await (const document of readRawDocuments(db, collection)) digest.add(document);
  return { documents: digest.documents, bytes: digest.bytes, sha256: digest.finish() };
}

export interface DatabaseDifference {
  readonly collection: string;
  readonly what: 'missing' | 'extra' | 'documents' | 'checksum' | 'indexes';
  readonly expected?: string | number;
  readonly actual?: string | number;
}

/**
 * Compares a live database with a manifest's collections: the same collections, counts, checksums
 * and indexes. Used after a dump (the database did not change while it was read — with writes
 * paused, the dump is then a consistent snapshot) and by tests after a restore.
 */
export async function compareDatabase(
  db: Db,
  collections: readonly CollectionEntry[],
): Promise<DatabaseDifference[]> {
  const differences: DatabaseDifference[] = [];
  const live = new Set((await listDumpableCollections(db)).map((c) => c.name));
  for (const entry of collections) {
    if (!live.delete(entry.name)) {
      differences.push({ collection: entry.name, what: 'missing' });
      continue;
    }
    const digest = await digestCollection(db, entry.name);
    if (digest.documents !== entry.documents) {
      differences.push({
        collection: entry.name,
        what: 'documents',
        expected: entry.documents,
        actual: digest.documents,
      });
    } else if (digest.sha256 !== entry.sha256) {
      differences.push({
        collection: entry.name,
        what: 'checksum',
        expected: entry.sha256,
        actual: digest.sha256,
      });
    }
    const indexes = JSON.stringify(await readIndexSpecs(db, entry.name));
    if (indexes !== JSON.stringify(entry.indexes)) {
      differences.push({
        collection: entry.name,
        what: 'indexes',
        expected: JSON.stringify(entry.indexes),
        actual: indexes,
      });
    }
  }
  for (const name of live) differences.push({ collection: name, what: 'extra' });
  return differences;
}

/**
 * The dump inside the encrypted object: a run of records, each a tag byte and a BSON document.
 *   'C' {name, options}             a collection starts
 *   'D' <document>                  one of its documents, the server's raw BSON
 *   'E' {name, documents, sha256}   it ends
 *   'Z' {collections, documents}    the dump ends (nothing may follow)
 */
export const RecordTag = { collection: 0x43, document: 0x44, end: 0x45, dumpEnd: 0x5a } as const;

export function encodeRecord(tag: number, document: Uint8Array | Document): Buffer {
  const bytes = document instanceof Uint8Array ? document : BSON.serialize(document);
  const record = Buffer.allocUnsafe(1 + bytes.byteLength);
  record[0] = tag;
  record.set(bytes, 1);
  return record;
}

export type DumpRecord = { tag: number; bytes: Uint8Array };

/** Splits a byte stream into records; throws `malformed` on anything that is not one. */
export async function* decodeRecords(
  source: AsyncIterable<Buffer>,
  malformed: (reason: string) => Error,
): AsyncGenerator<DumpRecord> {
  let buffer: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    let offset = 0;
    while (buffer.length - offset >= 5) {
      const tag = buffer[offset] as number;
      if (!Object.values(RecordTag).includes(tag as 0x43)) throw malformed('unknown record');
      const length = buffer.readInt32LE(offset + 1);
      if (length < 5 || length > 48 * 1024 * 1024) throw malformed('bad document length');
      if (buffer.length - offset < 1 + length) break;
      yield { tag, bytes: buffer.subarray(offset + 1, offset + 1 + length) };
      offset += 1 + length;
    }
    buffer = buffer.subarray(offset);
  }
  if (buffer.length > 0) throw malformed('a record is cut short');
}
