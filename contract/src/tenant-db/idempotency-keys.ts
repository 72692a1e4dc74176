import type { Db, MongoServerError } from 'mongodb';
import { z } from 'zod';

/**
 * What the API remembers of a request sent with an `Idempotency-Key` (collection
 * `idempotency_keys` of the tenant's own database, so keys are scoped to the tenant by where they
 * live): the scope it was sent in, a fingerprint of the request, whether it is still being served,
 * and the answer once it has been.
 */
export const IDEMPOTENCY_KEYS_COLLECTION = 'idempotency_keys';

export const IdempotencyKeyState = z.enum(['in-progress', 'completed']);

export const IdempotencyKeyRecord = z.strictObject({
  /** A hash of the scope: account, method, route and the key (the key itself is never stored). */
  _id: z.string(),
  accountId: z.string(),
  method: z.string(),
  /** The route's template, e.g. `/v1/courses/{courseId}/lessons`. */
  route: z.string(),
  /** An HMAC of the request (path, query, body) keyed by the idempotency key: nothing to read. */
  fingerprint: z.string(),
  state: IdempotencyKeyState,
  /** When the attempt now serving it started: a retry compares-and-sets it to take over. */
  startedAt: z.date(),
  completedAt: z.date().nullable(),
  /** The answer to replay, once completed. */
  response: z
    .object({
      status: z.int(),
      type: z.string().nullable(),
      headers: z.record(z.string(), z.string()),
      /** The body as sent (JSON), sealed with a key only the idempotency key gives; null for none. */
      body: z.string().nullable(),
    })
    .nullable(),
  /** The record may be deleted after this (a TTL index where the server has them). */
  expiresAt: z.date(),
});
export type IdempotencyKeyRecord = z.infer<typeof IdempotencyKeyRecord>;

/**
 * Expired records go by a TTL index. FerretDB 1.x has none (it refuses the option as
 * NotImplemented): there the index on `expiresAt` is a plain one, expired records are ignored when
 * read and the API deletes them itself.
 */
export async function createIdempotencyKeyIndexes(db: Db): Promise<void> {
  const keys = db.collection(IDEMPOTENCY_KEYS_COLLECTION);
  try {
    await keys.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires' });
  } catch (error) {
    if ((error as Partial<MongoServerError>).code !== 238) throw error;
    await keys.createIndex({ expiresAt: 1 }, { name: 'expires' });
  }
}
