import type { Collection, Db, Document } from 'mongodb';
import { currentDeadline, DeadlineExceeded, type DeadlineWait } from '../http/deadline.ts';

/**
 * Where each collection method takes its options, and whether the command it sends may carry
 * `maxTimeMS` (FerretDB v1.24 accepts it on all of them except `distinct`).
 */
const OPTIONS_AT: Readonly<Record<string, { index: number; maxTimeMS: boolean }>> = {
  find: { index: 1, maxTimeMS: true },
  findOne: { index: 1, maxTimeMS: true },
  countDocuments: { index: 1, maxTimeMS: true },
  estimatedDocumentCount: { index: 0, maxTimeMS: true },
  distinct: { index: 2, maxTimeMS: false },
  aggregate: { index: 1, maxTimeMS: true },
  insertOne: { index: 1, maxTimeMS: true },
  insertMany: { index: 1, maxTimeMS: true },
  bulkWrite: { index: 1, maxTimeMS: true },
  updateOne: { index: 2, maxTimeMS: true },
  updateMany: { index: 2, maxTimeMS: true },
  replaceOne: { index: 2, maxTimeMS: true },
  deleteOne: { index: 1, maxTimeMS: true },
  deleteMany: { index: 1, maxTimeMS: true },
  findOneAndUpdate: { index: 2, maxTimeMS: true },
  findOneAndReplace: { index: 2, maxTimeMS: true },
  findOneAndDelete: { index: 1, maxTimeMS: true },
  createIndex: { index: 1, maxTimeMS: true },
  createIndexes: { index: 1, maxTimeMS: true },
};

type Method = (...args: unknown[]) => unknown;

/**
 * Makes every operation on `db`'s collections inherit the deadline of the request it runs for:
 * the driver's `signal` (an operation still waiting when the deadline passes — for a pooled
 * connection, for a server, for a reply — is abandoned, and a connection cut short mid-reply is
 * closed, so nothing stays pinned) and `maxTimeMS` (the server stops working on it too). The
 * driver's own client-side timeout, `timeoutMS`, is a no-op in driver 7, hence this.
 *
 * Options a caller gives win. Outside a request (sweeps, shutdown) operations are left as they are,
 * bounded by the client's socket and selection timeouts. An operation started after the deadline
 * passed fails at once with a `DeadlineExceeded` that blames nobody: the time went elsewhere.
 *
 * `waitingFor` names what a timeout here blames: a tenant cluster, or the registry.
 */
export function boundByRequestDeadline(db: Db, waitingFor: DeadlineWait): Db {
  const collection = db.collection.bind(db);
  db.collection = (<T extends Document>(name: string, options?: Parameters<Db['collection']>[1]) =>
    boundCollection(collection<T>(name, options), waitingFor)) as Db['collection'];
  return db;
}

function boundCollection<T extends Document>(
  collection: Collection<T>,
  waitingFor: DeadlineWait,
): Collection<T> {
  const methods = collection as unknown as Record<string, Method>;
  for (const [name, where] of Object.entries(OPTIONS_AT)) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      const deadline = currentDeadline();
      if (!deadline) return original.apply(this, args);
      if (deadline.expired) throw new DeadlineExceeded(undefined);
      const given = (args[where.index] ?? {}) as { signal?: AbortSignal; maxTimeMS?: number };
      args[where.index] = {
        ...given,
        signal: given.signal ?? deadline.signal(waitingFor),
        ...(where.maxTimeMS && given.maxTimeMS === undefined ? { maxTimeMS: deadline.remainingMs() } : {}),
      };
      return original.apply(this, args);
    };
  }
  return collection;
}
