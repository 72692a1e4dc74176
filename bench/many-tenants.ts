/**
 * Benchmark 2 (issue 4): many tenants on a few clusters.
 *
 * 10,000 tenants (shared isolation) registered in the registry (records written by
 * TenantRegistry.put), spread round-robin over 3 FerretDB "clusters" (their databases need not
 * exist; APPLY_MIGRATIONS=false), one API pod (startApi), GET /v1/courses with Host + token:
 *   0. Zipf traffic for a short time with the records only in the registry (a pod alone).
 *   1. Zipf traffic (s = 1, tenant ranks shuffled over the clusters) for a fixed time with the
 *      records also in Redis, as a fleet leaves them: requests, p50/p99, cache hit ratio by layer
 *      (atrium_tenant_cache_lookups_total), connections per cluster (ConnectionManager stats()
 *      sampled every second, and the kernel's count) against POOL_BUDGET_PER_CLUSTER, pools open.
 *   2. In process: memory of a cached record and of a handle (useDb + compiled models).
 *   3. Every tenant once (a burst across all tenants): budget, cache and handle caps, memory.
 *   4. The naive strategy for a bounded sample, in a process of its own: one MongoClient per
 *      tenant (driver defaults), one query each; TCP connections (kernel) and memory.
 *
 *   npx tsx bench/many-tenants.ts [--tenants=10000] [--duration=30] [--cold=15] [--connections=48]
 *                                 [--zipf=1] [--naive=300] [--memory-sample=2000]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Collection, Db } from 'mongodb';
import { signAccessToken } from '../api/src/auth/tokens.ts';
import { createLogger } from '../api/src/observability/logger.ts';
import {
  Keyring,
  RegistryCipher,
  type TenantRecord,
  TenantRegistry,
} from '../contract/src/registry/index.ts';
import { call, createWorld, hostOf } from '../test/api/fixtures.ts';
import { tenantInput } from '../test/harness/tenant-record.ts';
import {
  devNull,
  fmt,
  load,
  log,
  MiB,
  memory,
  option,
  portOf,
  runBench,
  summarize,
  table,
  tcpConnectionsTo,
} from './lib/common.ts';
import type { LoadTarget } from './lib/load-worker.ts';
import type { NaiveRequest, NaiveResult } from './lib/naive-worker.ts';

const TENANTS = option('tenants', 10_000);
const CLUSTERS = 3;
const DURATION_S = option('duration', 30);
const CONNECTIONS = option('connections', 48);
const ZIPF_S = option('zipf', 1);
/** Bounded: each naive client holds ~3 sockets and a few MiB; 1,000 is the most we allow. */
const NAIVE = Math.min(option('naive', 300), 1_000);
/** Phase 0 (records only in the registry) is short: each first look-up scans the registry. */
const COLD_S = option('cold', 15);
/** Tenants cached in process to measure the memory of one record and one handle. */
const MEMORY_SAMPLE = Math.min(option('memory-sample', 2_000), 4_000);
const BUDGET = 50;
const SHARED_MAX = 20;

/** Runs `fn` over `items` with at most `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

/** Fisher-Yates with a fixed seed: the same tenants are hot in every run. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let a = seed;
  const random = () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return a / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

runBench(CLUSTERS, async (stack) => {
  const world = await createWorld(stack.mongoUris);
  try {
    // ---- register the tenants -------------------------------------------------------------------
    // Every record is written by TenantRegistry.put (validation, encryption of the signing keys),
    // but into a small staging registry with the same keyring, whose documents are then copied in
    // bulk into the real one: on FerretDB v1 (SQLite) an upsert scans the collection, so 10,000
    // puts into one growing collection take hours (bench/registry-scaling.ts: ~90 ms per put at
    // 1,000 tenants, ~190 ms at 2,000, ~300 ms at 4,000). The stored documents are the ones put writes.
    const started = Date.now();
    const ids = Array.from({ length: TENANTS }, (_, i) => `bt-${String(i).padStart(5, '0')}`);
    const stagingDb = world.mongo[0]?.db(`${world.registryDatabase}_staging`) as Db;
    const staging = new TenantRegistry({
      db: stagingDb,
      cipher: new RegistryCipher(Keyring.parse(world.keys)),
    });
    const real = world.mongo[0]?.db(world.registryDatabase).collection('tenants') as Collection;
    const tenants: TenantRecord[] = [];
    for (let from = 0; from < TENANTS; from += 250) {
      const batch = ids.slice(from, from + 250);
      tenants.push(
        ...(await pool(batch, 8, (tenantId) => {
          const i = Number(tenantId.slice(3));
          return staging.put(
            tenantInput({
              tenantId,
              displayName: `Bench tenant ${i}`,
              cluster: world.clusters[i % CLUSTERS] as string,
              database: `bench_${tenantId.replace(/-/g, '_')}`,
              dbURI: stack.mongoUris[i % CLUSTERS] ?? null,
            }),
          );
        })),
      );
      const docs = await stagingDb.collection('tenants').find({}).toArray();
      await real.insertMany(docs);
      await stagingDb.collection('tenants').deleteMany({});
    }
    await stagingDb.dropDatabase();
    // The copied records came without their subdomain claims: add them, as the operator does at start.
    await world.registry.ensureIndexes();
    log(`registered ${TENANTS} tenants in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const targets: LoadTarget[] = await pool(tenants, 64, async (t: TenantRecord) => ({
      host: hostOf(t),
      token: await signAccessToken(t, { userId: 'user-1', roles: ['admin'] }, { now: new Date() }),
    }));
    const ranked = shuffled(targets, 42);

    const api = await world.startApi(
      {
        LOG_LEVEL: 'info',
        RATE_LIMITS: '{"free":1000000000,"standard":1000000000,"enterprise":1000000000}',
        POOL_BUDGET_PER_CLUSTER: String(BUDGET),
        POOL_SHARED_MAX: String(SHARED_MAX),
        TENANT_REDIS_TTL_MS: '3600000',
        // The tenant databases do not exist (nothing was provisioned); with migrations on, the pod
        // would create 10,000 databases on first touch. cold-tenant.ts measures that cost.
        APPLY_MIGRATIONS: 'false',
      },
      { logger: createLogger('info', devNull()), sweepIntervalMs: 5_000 },
    );
    const config = `TENANT_CACHE_MAX=10000 entries (default), HANDLE_MAX=5000 (default), POOL_BUDGET_PER_CLUSTER=${BUDGET}, POOL_SHARED_MAX=${SHARED_MAX}, TENANT_REDIS_TTL_MS=3600000, APPLY_MIGRATIONS=false`;
    // Open the three shared pools first, so the memory baseline holds pools but no tenant state.
    for (let c = 0; c < CLUSTERS; c++) {
      const t = ranked.find((x) => Number(x.host.slice(3, 8)) % CLUSTERS === c) as LoadTarget;
      await load({ url: api.url, path: '/v1/courses', connections: 1, durationS: 1, targets: [t] });
    }
    const before = memory();
    const cachedBefore = api.directory.size / 2;

    const ports = stack.mongoUris.map(portOf);
    type Sample = { perCluster: number[]; tcp: number[]; pools: number; handles: number };
    const samples: Sample[] = [];
    const sample = () => {
      const stats = api.manager.stats();
      const perCluster = world.clusters.map((c) =>
        stats.pools.filter((p) => p.cluster === c).reduce((s, p) => s + p.connections, 0),
      );
      samples.push({
        perCluster,
        tcp: ports.map(tcpConnectionsTo),
        pools: stats.pools.length,
        handles: stats.handles,
      });
    };
    const lookups = async () => {
      const m = await api.metrics.cacheLookups.get();
      const by: Record<string, number> = {};
      for (const v of m.values) by[String(v.labels.layer)] = v.value;
      return by;
    };
    const layers = ['memory', 'redis', 'registry', 'negative'];
    const layerLine = (a: Record<string, number>, b: Record<string, number>) => {
      const d = (k: string) => (b[k] ?? 0) - (a[k] ?? 0);
      const total = layers.reduce((s, k) => s + d(k), 0);
      return (
        `${layers.map((k) => `${k} ${d(k)}`).join(', ')}; hit ratio in-process ${((d('memory') / total) * 100).toFixed(1)}%, ` +
        `in-process or Redis ${(((d('memory') + d('redis')) / total) * 100).toFixed(1)}%`
      );
    };
    const zipfLoad = (durationS: number, seed: number) =>
      load({
        url: api.url,
        path: '/v1/courses',
        connections: CONNECTIONS,
        durationS,
        targets: ranked,
        zipfS: ZIPF_S,
        seed,
      });
    const runLine = (r: Awaited<ReturnType<typeof load>>) =>
      `${r.ok} ok of ${r.requests} (${fmt(r.rps)} req/s), statuses ${JSON.stringify(r.statuses)}, ` +
      `errors/timeouts ${r.errors}/${r.timeouts}, distinct tenants ${r.distinct}, ` +
      `latency p50 ${fmt(r.p50)} ms p90 ${fmt(r.p90)} ms p99 ${fmt(r.p99)} ms`;

    // ---- 0. a pod alone with the registry --------------------------------------------------------
    // Records only in the registry: every first look-up is a registry read by subdomain (its claim,
    // then the record, both by _id).
    let l0 = await lookups();
    log(`phase 0: Zipf for ${COLD_S} s, records only in the registry`);
    const coldRun = await zipfLoad(COLD_S, 3);
    const coldLookups = layerLine(l0, await lookups());

    // The records go into Redis, sealed, under the directory's own keys, as the other pods of a
    // fleet leave them (TENANT_REDIS_TTL_MS is raised so they stay for the whole run).
    const sealedDocs = await real.find({}).toArray();
    for (let from = 0; from < sealedDocs.length; from += 1_000) {
      const multi = world.publisher.multi();
      for (const doc of sealedDocs.slice(from, from + 1_000)) {
        const json = JSON.stringify(doc);
        multi.set(`${world.redisPrefix}:v1:tenant:sub:${String(doc.subdomain)}`, json, 'PX', 3_600_000);
        multi.set(`${world.redisPrefix}:v1:tenant:id:${String(doc._id)}`, json, 'PX', 3_600_000);
      }
      await multi.exec();
    }

    // ---- 2. memory of a cached record and of a handle, in process --------------------------------
    // Measured before the Zipf load, while the handle cache is far from HANDLE_MAX (once full, a
    // new handle evicts one and the difference is nothing).
    // The least likely tenants of the Zipf order: not cached yet.
    const byHost = new Map(tenants.map((t) => [hostOf(t), t]));
    const fresh = ranked.slice(-MEMORY_SAMPLE).map((t) => byHost.get(t.host) as TenantRecord);
    const m0 = memory();
    const c0 = api.directory.size / 2;
    const records = await pool(fresh, 16, (t) => api.directory.find({ subdomain: t.subdomain }));
    const m1 = memory();
    const c1 = api.directory.size / 2;
    const h1 = api.manager.stats().handles;
    await pool(records, 16, async (r) => {
      (await api.manager.acquire(r as TenantRecord)).release();
    });
    const m2 = memory();
    const h2 = api.manager.stats().handles;
    // The first query on each handle, as a request does it.
    await pool(records, 16, async (r) => {
      const checkout = await api.manager.acquire(r as TenantRecord);
      try {
        await checkout.models.Course.find({}).sort({ _id: 1 }).limit(21).lean();
      } finally {
        checkout.release();
      }
    });
    const m3 = memory();

    // ---- 1. Zipf traffic, fleet-warm Redis --------------------------------------------------------
    l0 = await lookups();
    const timer = setInterval(sample, 1_000);
    log(`phase 1: Zipf(s=${ZIPF_S}) over ${TENANTS} tenants for ${DURATION_S} s, ${CONNECTIONS} connections`);
    const zipfRun = await zipfLoad(DURATION_S, 7);
    clearInterval(timer);
    sample();
    const zipfSamples = samples.splice(0);
    const zipfLookups = layerLine(l0, await lookups());
    const afterZipf = memory();
    const cachedZipf = api.directory.size / 2;
    const handlesZipf = api.manager.stats().handles;

    // ---- 3. every tenant once -------------------------------------------------------------------
    log(`phase 3: every tenant once (${TENANTS} requests, round-robin over clusters)`);
    l0 = await lookups();
    const timer2 = setInterval(sample, 1_000);
    const sweepStarted = Date.now();
    const sweepLatencies: number[] = [];
    const statuses: Record<string, number> = {};
    await pool(targets, CONNECTIONS, async (t) => {
      const t0 = performance.now();
      const res = await call(api.url, 'GET', '/v1/courses', { host: t.host, token: t.token });
      sweepLatencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    });
    const sweepSeconds = (Date.now() - sweepStarted) / 1000;
    clearInterval(timer2);
    sample();
    const sweepSamples = samples.splice(0);
    const sweepLookups = layerLine(l0, await lookups());
    const afterSweep = memory();
    const cachedSweep = api.directory.size / 2;
    const handlesSweep = api.manager.stats().handles;
    const poolsSweep = api.manager.stats().pools.length;

    // ---- report the pod -------------------------------------------------------------------------
    const all = [...zipfSamples, ...sweepSamples];
    const maxOf = (ss: Sample[], f: (s: Sample) => number) => Math.max(...ss.map(f));
    console.log(
      `\n## Many tenants: ${TENANTS} tenants on ${CLUSTERS} FerretDB clusters, one API pod (${config})`,
    );
    console.log(`phase 0, Zipf(s=${ZIPF_S}) ${COLD_S} s, records only in the registry: ${runLine(coldRun)}`);
    console.log(`  look-ups: ${coldLookups}`);
    console.log(
      `phase 1, Zipf(s=${ZIPF_S}) ${DURATION_S} s, ${CONNECTIONS} connections, records in Redis: ${runLine(zipfRun)}`,
    );
    console.log(`  look-ups: ${zipfLookups}`);
    const sweepStats = summarize(sweepLatencies);
    console.log(
      `phase 3, every tenant once: ${TENANTS} requests in ${fmt(sweepSeconds)} s (${fmt(TENANTS / sweepSeconds)} req/s), ` +
        `statuses ${JSON.stringify(statuses)}, p50 ${fmt(sweepStats.p50)} ms p99 ${fmt(sweepStats.p99)} ms`,
    );
    console.log(`  look-ups: ${sweepLookups}`);
    console.log(
      `pools open: ${maxOf(all, (s) => s.pools)} at most (${poolsSweep} at the end); ` +
        `tenant handles at most ${maxOf(all, (s) => s.handles)}; tenants in the in-process cache at the end ${cachedSweep}`,
    );
    const clusterRows: Array<Array<string | number>> = [
      [
        'cluster',
        'max pooled conns (stats, sampled 1/s)',
        'max TCP conns of the process (ss)',
        'budget',
        'within budget',
      ],
    ];
    for (const [i, c] of world.clusters.entries()) {
      const maxPooled = maxOf(all, (s) => s.perCluster[i] ?? 0);
      clusterRows.push([
        c,
        maxPooled,
        maxOf(all, (s) => s.tcp[i] ?? 0),
        BUDGET,
        maxPooled <= BUDGET ? 'yes' : 'NO',
      ]);
    }
    table(clusterRows);

    console.log(
      `\nmemory after a full GC, against the pod with its 3 pools open and no tenant state (RSS ${fmt(before.rss / MiB)} MiB, heap ${fmt(before.heapUsed / MiB)} MiB):`,
    );
    const memRows: Array<Array<string | number>> = [
      [
        'state',
        'cached tenants',
        'handles',
        'ΔRSS MiB',
        'Δheap MiB',
        'RSS MiB / 1k cached',
        'heap MiB / 1k cached',
      ],
    ];
    for (const [name, m, cached, handles] of [
      ['after phase 1 (Zipf)', afterZipf, cachedZipf, handlesZipf],
      ['after phase 3 (every tenant once)', afterSweep, cachedSweep, handlesSweep],
    ] as const) {
      const k = (cached - cachedBefore) / 1000;
      memRows.push([
        name,
        cached,
        handles,
        (m.rss - before.rss) / MiB,
        (m.heapUsed - before.heapUsed) / MiB,
        (m.rss - before.rss) / MiB / k,
        (m.heapUsed - before.heapUsed) / MiB / k,
      ]);
    }
    table(memRows);
    const perK = (a: number, b: number, n: number) => ((b - a) / MiB / n) * 1000;
    console.log(
      `in process, ${MEMORY_SAMPLE} more tenants: a cached record (directory, from Redis) costs ` +
        `${fmt(perK(m0.heapUsed, m1.heapUsed, c1 - c0))} MiB heap / ${fmt(perK(m0.rss, m1.rss, c1 - c0))} MiB RSS per 1,000 ` +
        `(${c1 - c0} added); a handle (useDb + compiled models) ${fmt(perK(m1.heapUsed, m2.heapUsed, h2 - h1))} MiB heap / ` +
        `${fmt(perK(m1.rss, m2.rss, h2 - h1))} MiB RSS per 1,000 (${h2 - h1} added); the first query on each of these ` +
        `handles adds ${fmt(perK(m2.heapUsed, m3.heapUsed, h2 - h1))} MiB heap / ${fmt(perK(m2.rss, m3.rss, h2 - h1))} MiB RSS per 1,000`,
    );
    const podConns = maxOf(all, (s) => s.tcp.reduce((x, y) => x + y, 0));
    const podPooled = maxOf(all, (s) => s.perCluster.reduce((x, y) => x + y, 0));
    const podHeapPerK = ((afterSweep.heapUsed - before.heapUsed) / MiB / (cachedSweep - cachedBefore)) * 1000;
    const podRssPerK = ((afterSweep.rss - before.rss) / MiB / (cachedSweep - cachedBefore)) * 1000;
    await api.shutdown('bench over');

    // ---- 4. naive: one MongoClient per tenant, in a process of its own ----------------------------
    const sampleTenants = tenants.slice(0, NAIVE);
    log(`phase 4: naive strategy, one MongoClient per tenant for ${sampleTenants.length} tenants`);
    const tcpBefore = ports.map(tcpConnectionsTo);
    const child = fork(fileURLToPath(new URL('./lib/naive-worker.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const naive = await new Promise<NaiveResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as NaiveResult));
      child.once('exit', (code) => reject(new Error(`naive worker exited with ${code}`)));
      child.send({
        tenants: sampleTenants.map((t) => ({
          uri: stack.mongoUris[world.clusters.indexOf(t.cluster as string)] as string,
          database: t.database as string,
        })),
      } satisfies NaiveRequest);
    });
    const tcpPerCluster = ports.map(tcpConnectionsTo).map((n, i) => n - (tcpBefore[i] ?? 0));
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('close');
    await exited;
    const tcpTotal = tcpPerCluster.reduce((x, y) => x + y, 0);
    const perTenant = tcpTotal / naive.tenants;
    console.log(
      `\n## Naive strategy: one MongoClient per tenant (driver defaults, own process), ${naive.tenants} tenants, one query each (${fmt(naive.seconds)} s)`,
    );
    table([
      [
        'strategy',
        'TCP conns',
        'per cluster',
        'per tenant',
        `for ${TENANTS} tenants`,
        'RSS MiB / 1k tenants',
        'heap MiB / 1k tenants',
      ],
      [
        `naive, ${naive.tenants} tenants measured`,
        tcpTotal,
        tcpPerCluster.join(' / '),
        perTenant,
        Math.round(perTenant * TENANTS),
        perK(naive.rssBefore, naive.rssAfter, naive.tenants),
        perK(naive.heapBefore, naive.heapAfter, naive.tenants),
      ],
      [
        `pod, ${TENANTS} tenants served`,
        `${podConns} (${podPooled} pooled)`,
        world.clusters.map((_, i) => maxOf(all, (s) => s.tcp[i] ?? 0)).join(' / '),
        '-',
        `≤ ${BUDGET * CLUSTERS} pooled (budget)`,
        podRssPerK,
        podHeapPerK,
      ],
    ]);
    console.log(
      `naive: ${naive.pooledConnections} pooled connections (driver events), the rest monitoring sockets; ` +
        `the pod's TCP count includes its registry client and the bench's own clients on cluster-0`,
    );
  } finally {
    await world.close();
  }
});
