import type { Db } from 'mongodb';
import { systemClock } from '../clock.ts';
import { createIdempotencyKeyIndexes } from './idempotency-keys.ts';

/**
 * The tenant database's schema, as versioned migrations. The operator applies them when it
 * provisions a tenant; the API checks the recorded version before serving one. Every migration is
 * idempotent (creating an index that exists is a no-op), so a crash between a migration and the
 * version record heals by running it again.
 *
 * Only what MongoDB and FerretDB both support: no partial indexes, no transactions, and a TTL index
 * only with a fallback (FerretDB 1.x refuses them).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** `now`: the time the migration runs at, from the caller's clock. */
  up(db: Db, now: Date): Promise<void>;
}

export const SCHEMA_COLLECTION = 'atrium_schema';
const SCHEMA_ID = 'tenant-db';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts',
    async up(db) {
      await db.collection('accounts').createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
      await db.collection('accounts').createIndex({ role: 1 }, { name: 'role' });
    },
  },
  {
    version: 2,
    name: 'refresh-tokens',
    async up(db) {
      const tokens = db.collection('refresh_tokens');
      await tokens.createIndex({ tokenHash: 1 }, { unique: true, name: 'token_hash_unique' });
      await tokens.createIndex({ familyId: 1 }, { name: 'family' });
      await tokens.createIndex({ accountId: 1 }, { name: 'account' });
    },
  },
  {
    version: 3,
    name: 'courses-and-enrollments',
    async up(db) {
      await db.collection('courses').createIndex({ code: 1 }, { unique: true, name: 'code_unique' });
      const enrollments = db.collection('enrollments');
      await enrollments.createIndex(
        { courseId: 1, accountId: 1 },
        { unique: true, name: 'course_account_unique' },
      );
      await enrollments.createIndex({ accountId: 1 }, { name: 'account' });
    },
  },
  {
    version: 4,
    name: 'lms-resources',
    async up(db) {
      await db.collection('enrollments').createIndex({ courseId: 1, role: 1 }, { name: 'course_role' });
      await db.collection('lessons').createIndex({ courseId: 1, position: 1 }, { name: 'course_position' });
      await db.collection('assignments').createIndex({ courseId: 1, dueAt: 1 }, { name: 'course_due' });
      const submissions = db.collection('submissions');
      await submissions.createIndex(
        { assignmentId: 1, accountId: 1, attempt: 1 },
        { unique: true, name: 'assignment_account_attempt_unique' },
      );
      await submissions.createIndex({ courseId: 1, accountId: 1 }, { name: 'course_account' });
      await db
        .collection('attendance')
        .createIndex(
          { courseId: 1, sessionDate: 1, accountId: 1 },
          { unique: true, name: 'course_session_account_unique' },
        );
    },
  },
  {
    version: 5,
    name: 'superseded-attempts',
    // The gradebook reads only the attempt that counts (`supersededAt: null`); the API marks the
    // earlier ones as it stores a new attempt, and this marks those stored before it did. Streamed,
    // projected and in batches: no $group (FerretDB has none of its accumulators).
    async up(db, now) {
      const submissions = db.collection<{
        _id: string;
        assignmentId: string;
        accountId: string;
        attempt: number;
      }>('submissions');
      const at = now;
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length)
          await submissions.updateMany({ _id: { $in: batch } }, { $set: { supersededAt: at } });
        batch = [];
      };
      let previous = '';
      const cursor = submissions
        .find({ supersededAt: null }, { projection: { assignmentId: 1, accountId: 1, attempt: 1 } })
        .sort({ assignmentId: 1, accountId: 1, attempt: -1 });
      for await (const attempt of cursor) {
        const key = `${attempt.assignmentId}\u0000${attempt.accountId}`;
        if (key === previous) batch.push(attempt._id);
        previous = key;
        if (batch.length >= 500) await flush();
      }
      await flush();
    },
  },
  {
    version: 6,
    name: 'idempotency-keys',
    up: createIdempotencyKeyIndexes,
  },
];

export const LATEST_SCHEMA_VERSION = Math.max(...migrations.map((m) => m.version));

export interface SchemaVersionRecord {
  _id: string;
  version: number;
  applied: Array<{ version: number; name: string; at: Date }>;
  updatedAt: Date;
}

export async function readSchemaVersion(db: Db): Promise<number> {
  const record = await db.collection<SchemaVersionRecord>(SCHEMA_COLLECTION).findOne({ _id: SCHEMA_ID });
  return record?.version ?? 0;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Brings the database to the latest schema version. When it is already there this reads one
 * document and writes nothing. A database from a newer schema is left alone and reported.
 */
export async function applyMigrations(
  db: Db,
  options: { now?: () => Date; target?: number } = {},
): Promise<MigrationResult> {
  const now = options.now ?? (() => systemClock.date());
  const target = options.target ?? LATEST_SCHEMA_VERSION;
  const from = await readSchemaVersion(db);
  const pending = migrations.filter((m) => m.version > from && m.version <= target);
  const schema = db.collection<SchemaVersionRecord>(SCHEMA_COLLECTION);
  for (const migration of pending) {
    await migration.up(db, now());
    // Recorded one at a time, so a crash re-runs at most the migration it interrupted.
    await schema.updateOne(
      { _id: SCHEMA_ID },
      {
        $set: { version: migration.version, updatedAt: now() },
        $push: { applied: { version: migration.version, name: migration.name, at: now() } },
      },
      { upsert: true },
    );
  }
  return { from, to: Math.max(from, pending.at(-1)?.version ?? from), applied: pending.map((m) => m.name) };
}
