import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import test from 'ava';
import {
  compareDatabase,
  readAtriumVersion,
  restoreBackup,
  writeBackup,
} from '../../contract/src/backup/index.ts';
import { type BackupFixture, openBackupFixture, randomBackupKey } from './backup-fixtures.ts';

let fx: BackupFixture;
test.before(async () => {
  fx = await openBackupFixture();
});
test.after.always(async () => {
  await fx?.close();
});

const MiB = 1024 * 1024;

// A full collection before each sample, so a sample counts what is retained, not garbage the
// collector has not reached yet.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface MemoryPeak {
  /** Peak of retained heap + Buffers above the level before the work. */
  readonly growth: number;
  readonly baseline: number;
  readonly heap: number;
  readonly buffers: number;
}

async function measurePeak<T>(work: () => Promise<T>): Promise<{ result: T } & MemoryPeak> {
  collectGarbage();
  const start = process.memoryUsage();
  const baseline = start.heapUsed + start.arrayBuffers;
  let peak = baseline;
  let heap = start.heapUsed;
  let buffers = start.arrayBuffers;
  const sample = () => {
    collectGarbage();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
    heap = Math.max(heap, m.heapUsed);
    buffers = Math.max(buffers, m.arrayBuffers);
  };
  const sampler = setInterval(sample, 250);
  try {
    const result = await work();
    return {
      result,
      growth: peak - baseline,
      baseline,
      heap: heap - start.heapUsed,
      buffers: buffers - start.arrayBuffers,
    };
  } finally {
    clearInterval(sampler);
  }
}

const describe = (m: MemoryPeak) =>
  `retained heap + buffers peaked ${(m.growth / MiB).toFixed(1)} MiB above ${(m.baseline / MiB).toFixed(1)} MiB ` +
  `(heap +${(m.heap / MiB).toFixed(1)} MiB, buffers +${(m.buffers / MiB).toFixed(1)} MiB at their peaks)`;

test('a tenant of 50k documents is backed up and restored with memory far below its size (multipart upload)', async (t) => {
  t.timeout(15 * 60_000);
  const db = await fx.database('large');
  const documents = 50_000;
  for (let i = 0; i < documents; i += 1_000) {
    await db.collection('submissions').insertMany(
      Array.from({ length: 1_000 }, (_, j) => ({
        assignmentId: `assignment-${i + j}`,
        accountId: `account-${(i + j) % 700}`,
        attempt: 1,
        // Half random (so compression cannot hide the volume), half prose.
        answer: `${randomBytes(600).toString('hex')} The quick brown fox jumps over the lazy dog.`,
        grade: (i + j) % 20,
      })),
    );
  }
  const key = randomBackupKey();
  const store = fx.storage.forTenant('large-school');

  const backup = await measurePeak(() =>
    writeBackup(db, store, { backupId: 'full', key, clock: fx.clock, atriumVersion: readAtriumVersion() }),
  );
  const manifest = backup.result;
  const data = manifest.totals.bytes;
  t.is(manifest.totals.documents, documents + 1, 'the documents and the schema record');
  t.log(
    `backup: ${(data / MiB).toFixed(1)} MiB of BSON in ${documents} documents, ${(manifest.object.bytes / MiB).toFixed(1)} MiB stored; ` +
      describe(backup),
  );
  t.true(manifest.object.bytes > 10 * MiB, 'more than one part: a multipart upload');
  // The JS heap holds a cursor batch and a chunk; Buffers hold the upload's parts (lib-storage keeps
  // a concatenated part and its remainder), zlib's and the driver's: a constant, not the data.
  t.true(backup.heap < data / 10, 'backup heap grows far less than the data');
  t.true(backup.growth < (data * 3) / 4, 'backup heap + buffers grow less than the data');

  const target = fx.emptyDatabase('large_restored');
  const restore = await measurePeak(() => restoreBackup(store, 'full', target, { keys: key }));
  t.log(`restore: ${describe(restore)}`);
  t.true(restore.heap < data / 10, 'restore heap grows far less than the data');
  t.true(restore.growth < (data * 3) / 4, 'restore heap + buffers grow less than the data');
  t.deepEqual(await compareDatabase(target, manifest.collections), []);
});
