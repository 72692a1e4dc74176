import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import test from 'ava';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { ConnectionManager, type ConnectionManagerOptions } from '../../api/src/connections/manager.ts';
import { compileTenantModels, type TenantModels } from '../../api/src/connections/tenant-models.ts';
import { ApiProblem } from '../../api/src/errors/catalogue.ts';
import { createMetrics } from '../../api/src/observability/metrics.ts';
import type { TenantRecord } from '../../contract/src/registry/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { startFerretDB } from '../harness/mongo.ts';
import { RunDirectory } from '../harness/processes.ts';
import { tenantRecord } from '../harness/tenant-record.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const uris = testServers.mongoUris();
const clusterUris = new Map<string, string>([
  ['c0', uris[0] ?? ''],
  ['c1', uris[1] ?? ''],
]);

/** A tenant of cluster c0 (or the one given), with its database there and the cluster's URI. */
function record(tenantId: string, overrides: Partial<TenantRecord> = {}): TenantRecord {
  return tenantRecord({
    tenantId,
    cluster: 'c0',
    database: `cm_${tenantId.replace(/-/g, '_')}`,
    dbURI: clusterUris.get(overrides.cluster ?? 'c0') ?? null,
    ...overrides,
  });
}

function manager(overrides: Partial<ConnectionManagerOptions<TenantModels>> = {}) {
  const clock = new ManualClock();
  let compiles = 0;
  const metrics = createMetrics();
  const cm = new ConnectionManager<TenantModels>({
    clusterURI: async (name) => clusterUris.get(name) ?? null,
    compile: (connection: Connection) => {
      compiles++;
      return compileTenantModels(connection);
    },
    clock,
    metrics,
    logger: pino({ level: 'silent' }),
    budgetPerCluster: 20,
    sharedMaxPoolSize: 10,
    dedicatedMaxPoolSize: 5,
    maxIdleTimeMS: 60_000,
    // Generous for the shared, loaded test servers; the breaker test sets its own short ones.
    waitQueueTimeoutMS: 30_000,
    serverSelectionTimeoutMS: 10_000,
    connectTimeoutMS: 10_000,
    socketTimeoutMS: 30_000,
    handleIdleTtlMs: 60_000,
    maxHandles: 1_000,
    breakerFailures: 2,
    breakerCooldownMs: 5_000,
    ...overrides,
  });
  return { cm, clock, metrics, compiles: () => compiles };
}

const connectionsPerCluster = (cm: ConnectionManager<TenantModels>) => {
  const per = new Map<string, number>();
  for (const p of cm.stats().pools) per.set(p.cluster, (per.get(p.cluster) ?? 0) + p.connections);
  return per;
};

test.serial(
  'shared tenants of a cluster share one pool; pools are O(clusters), not O(tenants)',
  async (t) => {
    const { cm, compiles } = manager();
    t.teardown(() => cm.close());
    const tenants = Array.from({ length: 30 }, (_, i) =>
      record(uniqueName('s').replace('_', '-'), { cluster: i % 2 ? 'c1' : 'c0' }),
    );
    for (const tenant of tenants) {
      const checkout = await cm.acquire(tenant);
      await checkout.models.Course.countDocuments();
      checkout.release();
    }
    const stats = cm.stats();
    t.is(stats.pools.length, 2);
    t.deepEqual(stats.pools.map((p) => p.kind).sort(), ['shared', 'shared']);
    t.is(stats.handles, 30);
    t.is(compiles(), 30, 'models compiled once per tenant handle');

    // Reuse compiles nothing and opens nothing.
    for (const tenant of tenants) (await cm.acquire(tenant)).release();
    t.is(compiles(), 30);
    t.is(cm.stats().pools.length, 2);
  },
);

test.serial('a request uses its own tenant database only', async (t) => {
  const { cm } = manager();
  t.teardown(() => cm.close());
  const [a, b] = [record(uniqueName('iso').replace('_', '-')), record(uniqueName('iso').replace('_', '-'))];
  const [ca, cb] = [await cm.acquire(a), await cm.acquire(b)];
  t.is(ca.connection.db?.databaseName, a.database ?? undefined);
  t.is(cb.connection.db?.databaseName, b.database ?? undefined);
  await Promise.all([
    ca.models.Course.create({ _id: 'x', title: 'A', code: 'A' }),
    cb.models.Course.create({ _id: 'x', title: 'B', code: 'B' }),
  ]);
  t.is((await ca.models.Course.findById('x').lean())?.title, 'A');
  t.is((await cb.models.Course.findById('x').lean())?.title, 'B');
  await ca.connection.db?.dropDatabase();
  await cb.connection.db?.dropDatabase();
  ca.release();
  cb.release();
});

test.serial(
  'idle handles and pools are released after the TTL, never while a request is in flight',
  async (t) => {
    const { cm, clock, metrics } = manager({ handleIdleTtlMs: 10_000 });
    t.teardown(() => cm.close());
    const [busy, idle] = [
      record(uniqueName('ttl').replace('_', '-')),
      record(uniqueName('ttl').replace('_', '-'), { cluster: 'c1' }),
    ];
    const held = await cm.acquire(busy);
    (await cm.acquire(idle)).release();

    clock.advance(9_999);
    await cm.sweep();
    t.is(cm.stats().handles, 2, 'nothing released before the TTL');

    clock.advance(1);
    await cm.sweep();
    t.is(cm.stats().handles, 1, 'the idle handle is released');
    t.deepEqual(
      cm.stats().pools.map((p) => p.cluster),
      ['c0'],
      'the idle pool of c1 is closed; the pool of the in-flight request stays',
    );
    // The in-flight request still works after the sweep.
    t.is(await held.models.Course.countDocuments(), 0);
    held.release();
    clock.advance(10_000);
    await cm.sweep();
    t.deepEqual(cm.stats(), { handles: 0, pools: [] });
    const evictions = (await metrics.evictions.get()).values;
    t.is(evictions.find((v) => v.labels.what === 'pool' && v.labels.reason === 'idle')?.value, 2);

    // Eviction is invisible to clients: the next request simply reconnects.
    const again = await cm.acquire(busy);
    t.is(await again.models.Course.countDocuments(), 0);
    again.release();
  },
);

test.serial(
  '10,000 tenant switches keep mongoose bookkeeping and memory bounded by the LRU cap',
  async (t) => {
    const { cm } = manager({ maxHandles: 200 });
    t.teardown(() => cm.close());
    const switchTenants = async (from: number, to: number) => {
      for (let i = from; i < to; i++) (await cm.acquire(record(`sw-${i}`))).release();
    };
    await switchTenants(0, 1_000);
    const parent = cm.sharedConnection('c0') as Connection & { otherDbs: unknown[]; relatedDbs: object };
    // Model initialisation settles asynchronously: let it, then measure what is really retained.
    const settledHeap = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      gc();
      return process.memoryUsage().heapUsed;
    };
    const heapAfterWarmUp = await settledHeap();
    await switchTenants(1_000, 10_000);
    const heapAfterAll = await settledHeap();

    t.is(cm.stats().handles, 200);
    t.true(parent.otherDbs.length <= 200, `parent.otherDbs holds ${parent.otherDbs.length}`);
    t.is(Object.keys(parent.relatedDbs).length, 0);
    const growthMiB = (heapAfterAll - heapAfterWarmUp) / 2 ** 20;
    t.log(`heap growth over 9,000 further switches: ${growthMiB.toFixed(1)} MiB`);
    t.true(growthMiB < 8, `heap grew ${growthMiB.toFixed(1)} MiB`);
  },
);

test.serial(
  'the per-cluster budget holds under a burst across many shared and dedicated tenants',
  async (t) => {
    const { cm } = manager({ budgetPerCluster: 20, sharedMaxPoolSize: 10, dedicatedMaxPoolSize: 5 });
    // The shared pool is open before the burst, as on a pod that has been serving.
    (await cm.acquire(record('burst-warm'))).release();
    t.teardown(() => cm.close());
    const tenants = Array.from({ length: 60 }, (_, i) =>
      record(`burst-${i}`, { isolation: i % 10 === 0 ? 'dedicated' : 'shared' }),
    );
    let peak = 0;
    let peakCommitted = 0;
    const refused: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const tenant = tenants[i % tenants.length] as TenantRecord;
        try {
          const checkout = await cm.acquire(tenant);
          try {
            await checkout.models.Course.countDocuments();
            peak = Math.max(peak, connectionsPerCluster(cm).get('c0') ?? 0);
            peakCommitted = Math.max(
              peakCommitted,
              cm.stats().pools.reduce((sum, p) => sum + p.maxPoolSize, 0),
            );
          } finally {
            checkout.release();
          }
        } catch (error) {
          if (!(error instanceof ApiProblem)) throw error;
          refused.push(error.code);
        }
      }),
    );
    t.log(`peak connections ${peak}, peak committed pool sizes ${peakCommitted}, refused ${refused.length}`);
    t.true(peak <= 20, `peak ${peak} connections`);
    t.true(peakCommitted <= 20, `committed ${peakCommitted}`);
    t.true(refused.every((code) => code === 'capacity-exhausted'));
    t.true(refused.length < 300);
  },
);

test.serial('concurrent first requests to a fresh cluster open one pool (single-flight)', async (t) => {
  const { cm, metrics } = manager();
  t.teardown(() => cm.close());
  const checkouts = await Promise.all(Array.from({ length: 40 }, (_, i) => cm.acquire(record(`sf-${i}`))));
  for (const checkout of checkouts) checkout.release();
  t.is(cm.stats().pools.length, 1);
  t.is((await metrics.poolsOpen.get()).values.find((v) => v.labels.cluster === 'c0')?.value, 1);
});

test.serial(
  'a failing cluster trips its breaker: fast 503s for its tenants, other clusters unaffected',
  async (t) => {
    const run = new RunDirectory();
    t.teardown(() => run.close());
    const doomed = await startFerretDB(run, 'doomed');
    clusterUris.set('doomed', doomed.uri);
    const { cm, clock } = manager({
      breakerFailures: 2,
      breakerCooldownMs: 5_000,
      serverSelectionTimeoutMS: 500,
    });
    t.teardown(() => cm.close());
    const victim = record('victim', { cluster: 'doomed' });
    const healthy = record('healthy', { cluster: 'c1' });

    const first = await cm.acquire(victim);
    t.is(await first.models.Course.countDocuments(), 0);
    first.release();
    await doomed.process?.kill();

    // Requests fail as the driver gives up; each failure feeds the breaker.
    for (let i = 0; i < 2; i++) {
      const checkout = await cm.acquire(victim);
      const error = await t.throwsAsync(checkout.models.Course.countDocuments());
      cm.recordOutcome(checkout.cluster, error);
      checkout.release();
    }
    const started = performance.now();
    const fast = await t.throwsAsync(cm.acquire(victim));
    t.true(fast instanceof ApiProblem && fast.code === 'cluster-unavailable');
    t.is((fast as ApiProblem).headers['Retry-After'], '5');
    // No connection attempt (that would wait out serverSelectionTimeoutMS): well under it.
    t.true(performance.now() - started < 250, 'open breaker answers at once');

    const other = await cm.acquire(healthy);
    t.is(await other.models.Course.countDocuments(), 0);
    other.release();

    // After the cooldown one trial goes through; it fails again and the breaker re-opens.
    clock.advance(5_000);
    const trial = await cm.acquire(victim);
    cm.recordOutcome(trial.cluster, await t.throwsAsync(trial.models.Course.countDocuments()));
    trial.release();
    t.true((await t.throwsAsync(cm.acquire(victim))) instanceof ApiProblem);
  },
);
