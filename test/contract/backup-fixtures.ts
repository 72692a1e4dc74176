import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BSON, type Db, MongoClient } from 'mongodb';
import type { BackupKey } from '../../contract/src/backup/index.ts';
import { ObjectStorage } from '../../contract/src/storage/index.ts';
import { applyMigrations } from '../../contract/src/tenant-db/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { ManualClock } from '../harness/manual-clock.ts';

export function randomBackupKey(kid = '2026-01'): BackupKey {
  return { kid, key: new Uint8Array(randomBytes(32)) };
}

/**
 * A bucket of its own on the test run's versitygw, an S3 client for reaching around the store
 * (what an attacker with bucket access, or a broken disk, does), and tenant databases on the
 * first test cluster. `close` removes everything.
 */
export async function openBackupFixture() {
  const s3 = testServers.s3();
  const raw = new S3Client(s3);
  const bucket = uniqueName('backups').replaceAll('_', '-');
  await raw.send(new CreateBucketCommand({ Bucket: bucket }));
  const storage = new ObjectStorage({ bucket, prefix: 'atrium/', ...s3 });
  const mongo = new MongoClient(testServers.mongoUris()[0] ?? '');
  const databases: Db[] = [];
  return {
    bucket,
    storage,
    clock: new ManualClock(),
    mongo,
    /** A fresh tenant database with the tenant schema applied. */
    async database(prefix = 'tenant'): Promise<Db> {
      const db = mongo.db(uniqueName(prefix));
      databases.push(db);
      await applyMigrations(db, { now: () => new Date('2026-01-05T08:00:00Z') });
      return db;
    },
    /** An empty database (a restore target that never had anything). */
    emptyDatabase(prefix = 'target'): Db {
      const db = mongo.db(uniqueName(prefix));
      databases.push(db);
      return db;
    },
    async readObject(key: string): Promise<Buffer> {
      const answer = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await (answer.Body?.transformToByteArray() ?? new Uint8Array()));
    },
    async writeObject(key: string, body: Uint8Array | string): Promise<void> {
      await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async close(): Promise<void> {
      for (const db of databases) await db.dropDatabase().catch(() => undefined);
      await mongo.close();
      // Empty the bucket through a store-less listing: every tenant's objects.
      for (;;) {
        const page = await raw.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key ?? '' }));
        if (keys.length === 0) break;
        await raw.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
      }
      await raw.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
      storage.close();
      raw.destroy();
    },
  };
}

export type BackupFixture = Awaited<ReturnType<typeof openBackupFixture>>;

/**
 * LMS data with the BSON types a restore must keep: doubles that look like integers, 64-bit
 * integers, dates, binaries, nested documents and arrays, nulls; plus a collection without
 * indexes, an empty one, and indexes of several kinds.
 */
export async function seedLmsData(
  db: Db,
  size = { accounts: 40, courses: 12, submissions: 300 },
): Promise<void> {
  const accounts = Array.from({ length: size.accounts }, (_, i) => ({
    _id: new BSON.ObjectId(),
    email: `user${i}@school.example`,
    role: i === 0 ? 'admin' : i < 5 ? 'teacher' : 'student',
    passwordHash: new BSON.Binary(randomBytes(32)),
    createdAt: new Date(Date.UTC(2025, 8, 1 + (i % 28))),
    profile: { name: `User ${i}`, locale: i % 2 ? 'fr' : 'en', tags: ['a', i] },
  }));
  await db.collection('accounts').insertMany(accounts);
  const courses = Array.from({ length: size.courses }, (_, i) => ({
    _id: `course-${String(i).padStart(3, '0')}`,
    code: `C${i}`,
    title: `Course ${i}`,
    credits: new BSON.Double(3),
    capacity: new BSON.Int32(30 + i),
    views: BSON.Long.fromNumber(2 ** 40 + i),
    archived: null,
  }));
  await db.collection<{ _id: string }>('courses').insertMany(courses);
  const submissions = Array.from({ length: size.submissions }, (_, i) => ({
    _id: new BSON.ObjectId(),
    assignmentId: `assignment-${i}`,
    accountId: accounts[i % accounts.length]?._id,
    courseId: courses[i % courses.length]?._id,
    attempt: 1 + (i % 3),
    grade: new BSON.Double(i % 2 ? 17.5 : 12),
    answers: [
      { q: 1, a: 'yes' },
      { q: 2, a: ['x', 'y'] },
    ],
    supersededAt: null,
  }));
  await db.collection('submissions').insertMany(submissions);
  await db.collection('audit_notes').insertMany([{ note: 'no indexes here', at: new Date(0) }]);
  await db.createCollection('empty_collection');
  await db.collection('submissions').createIndex({ grade: -1, accountId: 1 }, { name: 'grade_desc_account' });
  await db.collection('courses').createIndex({ title: 1 }, { name: 'title_sparse', sparse: true });
}
