import type { Db, Document } from 'mongodb';

export interface CopyResult {
  collections: number;
  documents: number;
}

/** Index options worth carrying over; the rest (v, ns, background) belong to the server. */
const INDEX_OPTIONS = ['unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression', 'collation'];

/**
 * Copies a database to another server, as mongodump | mongorestore would: every collection (views
 * and system collections aside) with its indexes, then its documents in `_id` order, in batches.
 * The target is dropped first, so a copy that was interrupted is simply started again. Afterwards
 * every collection's count is compared; a mismatch throws and the tenant stays where it was.
 */
export async function copyDatabase(
  source: Db,
  target: Db,
  options: { batchSize?: number; checkpoint?: () => void } = {},
): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 1_000;
  // Called before the drop and between batches: throws to stop (e.g. when leadership is lost).
  const checkpoint = options.checkpoint ?? (() => {});
  checkpoint();
  await target.dropDatabase();
  const collections = (await source.listCollections({}, { nameOnly: false }).toArray()).filter(
    (info) => info.type !== 'view' && !info.name.startsWith('system.'),
  );
  let documents = 0;
  for (const { name } of collections) {
    const from = source.collection(name);
    const to = target.collection(name);
    await target.createCollection(name);
    for (const index of await from.listIndexes().toArray()) {
      if (index.name === '_id_') continue;
      const options: Document = { name: index.name };
      for (const key of INDEX_OPTIONS) if (index[key] !== undefined) options[key] = index[key];
      await to.createIndex(index.key as Document, options);
    }
    let batch: Document[] = [];
    for await (const doc of from.find({}, { sort: { _id: 1 }, batchSize })) {
      batch.push(doc);
      if (batch.length >= batchSize) {
        checkpoint();
        await to.insertMany(batch, { ordered: true });
        documents += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      checkpoint();
      await to.insertMany(batch, { ordered: true });
      documents += batch.length;
    }
  }
  // Compared once everything is copied: a write that reached the source during the copy, or a
  // collection dropped by someone else meanwhile, fails the copy instead of going unnoticed.
  for (const { name } of collections) {
    const [expected, copied] = await Promise.all([
      source.collection(name).countDocuments(),
      target.collection(name).countDocuments(),
    ]);
    if (expected !== copied) {
      throw new Error(`collection ${name}: ${copied} documents copied, ${expected} in the source`);
    }
  }
  return { collections: collections.length, documents };
}
