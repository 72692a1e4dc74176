import type { MongoServerError } from 'mongodb';

/**
 * Whether a write failed on a unique index. MongoDB reports code 11000; FerretDB reports 11000 on
 * insert but an internal error naming the SQLite UNIQUE constraint on update, without keyPattern —
 * so callers that need to know which index re-read rather than parse the error.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as Partial<MongoServerError> | undefined;
  return e?.code === 11000 || /duplicate key|E11000|UNIQUE constraint/i.test(String(e?.message ?? ''));
}
