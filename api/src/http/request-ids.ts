import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';

/**
 * The ids of the documents one request creates, in the order it creates them. Random (UUIDv7) for
 * a request without an Idempotency-Key; derived from the key's scope for one with it, so that a
 * retry of a request that was cut off re-creates the same ids and collides with what the first
 * attempt stored, instead of storing it twice.
 */
export interface RequestIds {
  /** Whether the ids are derived from an Idempotency-Key (a re-run may find its documents stored). */
  readonly keyed: boolean;
  next(): string;
}

export const randomIds: RequestIds = { keyed: false, next: () => uuidv7() };

/** UUID-shaped ids (version 8, RFC 9562's custom version) from a hash of `scope` and a counter. */
export function derivedIds(scope: string): RequestIds {
  const seed = createHash('sha256').update(scope).digest();
  let counter = 0;
  return {
    keyed: true,
    next() {
      const bytes = createHash('sha256').update(seed).update(String(counter++)).digest().subarray(0, 16);
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      const hex = bytes.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

/**
 * Stores a new document whose `_id` came from `ids`. When a keyed request is a re-run of one that
 * already stored it (the first attempt was cut off before it answered), the insert collides — on
 * `_id`, or on another unique index of the same document — and the stored document is the answer.
 */
export async function createOnce<T extends { _id: string }>(
  ids: RequestIds,
  model: Model<T>,
  document: Partial<T> & { _id: string },
): Promise<{ record: T; existed: boolean }> {
  try {
    const created = await new model(document).save();
    return { record: created.toObject() as T, existed: false };
  } catch (error) {
    if (!ids.keyed || !isUniqueViolation(error)) throw error;
    const stored = await model.findById(document._id).lean<T>();
    if (!stored) throw error;
    return { record: stored, existed: true };
  }
}
