/**
 * Benchmark 2 (issue 4): many tenants on a few clusters.
 *
 * 10,000 tenants (shared isolation) registered straight in the registry, spread round-robin over
 * 3 FerretDB "clusters" (their databases need not exist), one API pod (startApi), then:
 *   1. Zipf-distributed traffic (s = 1 by default, tenant ranks shuffled over the clusters) on
 *      GET /v1/courses with Host + token for a fixed time, sampling the ConnectionManager every
 *      second: connections per cluster against POOL_BUDGET_PER_CLUSTER, pools open, handles;
 *      afterwards the directory's cache hit ratio (atrium_tenant_cache_lookups_total by layer),
 *      p50/p99, and RSS/heap per 1,000 cached tenants.
 *   2. Every tenant once (round-robin burst), to see the budget hold and memory with a full cache.
 *   3. The naive strategy for a bounded sample: one MongoClient per tenant (driver defaults),
 *      one query each, counting TCP connections (kernel) and memory, extrapolated to all tenants.
 *
 *   npx tsx bench/many-tenants.ts [--tenants=10000] [--duration=30] [--connections=48]
 *                                 [--zipf=1] [--naive=300]
 */
import { randomBytes } from 'node:crypto';
import { type Collection, type Db, MongoClient } from 'mongodb';
import { signAccessToken } from '../api/src/auth/tokens.ts';
import { createLogger } from '../api/src/observability/logger.ts';
import {
  Keyring,
  RegistryCipher,
  type TenantRecord,
  TenantRegistry,
} from '../contract/src/registry/index.ts';
import { call, createWorld, hostOf } from '../test/api/fixtures.ts';
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

const TENANTS = option('tenants', 10_000);
const CLUSTERS = 3;
const DURATION_S = option('duration', 30);
const CONNECTIONS = option('connections', 48);
const ZIPF_S = option('zipf', 1);
/** Bounded: each naive client holds ~3 sockets and a few MiB; 1,000 is the most we allow. */
const NAIVE = Math.min(option('naive', 300), 1_000);
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
    // puts into one growing collection take hours (measured: 83 ms per put at 1,000 tenants,
    // 192 ms at 2,000). The stored documents are the ones put writes.
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
          return staging.put({
            tenantId,
            subdomain: tenantId,
            displayName: `Bench tenant ${i}`,
            plan: 'standard',
            isolation: 'shared',
            status: 'active',
            cluster: world.clusters[i % CLUSTERS] as string,
            database: `bench_${tenantId.replace(/-/g, '_')}`,
            dbURI: stack.mongoUris[i % CLUSTERS] ?? null,
            signingKeys: [
              {
                kid: `${tenantId}-1`,
                alg: 'HS256',
                jwk: { kty: 'oct', k: randomBytes(32).toString('base64url') },
                createdAt: new Date(),
              },
            ],
            generation: 1,
          });
        })),
      );
      const docs = await stagingDb.collection('tenants').find({}).toArray();
      await real.insertMany(docs);
      await stagingDb.collection('tenants').deleteMany({});
    }
    await stagingDb.dropDatabase();
    log(`registered ${TENANTS} tenants in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const targets: LoadTarget[] = await pool(tenants, 64, async (t: TenantRecord) => ({
      host: hostOf(t),
      token: await signAccessToken(t, { userId: 'user-1', roles: ['admin'] }),
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

    // ---- 1. Zipf traffic -----------------------------------------------------------------------
    const lookupsBefore = await lookups();
    const timer = setInterval(sample, 1_000);
    log(`Zipf(s=${ZIPF_S}) traffic over ${TENANTS} tenants for ${DURATION_S} s, ${CONNECTIONS} connections`);
    const zipfRun = await load({
      url: api.url,
      path: '/v1/courses',
      connections: CONNECTIONS,
      durationS: DURATION_S,
      targets: ranked,
      zipfS: ZIPF_S,
      seed: 7,
    });
    clearInterval(timer);
    sample();
    const zipfSamples = samples.splice(0);
    const lookupsAfter = await lookups();
    const lookupsSweepBefore = lookupsAfter;
    const afterZipf = memory();
    const cachedZipf = api.directory.size / 2;
    const handlesZipf = api.manager.stats().handles;

    // ---- 2. every tenant once -------------------------------------------------------------------
    // On FerretDB a registry read by subdomain scans the whole tenants collection (~0.5 s at 10,000
    // tenants), so a cold pass over every tenant would take over an hour. The records are put into
    // Redis first, sealed, under the directory's own keys, as the other pods of a fleet leave them:
    // the pass then measures the Redis layer, the handles and the memory of a full cache.
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
    log(`every tenant once (${TENANTS} requests, round-robin over clusters, records in Redis)`);
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
    const afterSweep = memory();
    const lookupsSweep = await lookups();
    const cachedSweep = api.directory.size / 2;
    const handlesSweep = api.manager.stats().handles;
    const poolsSweep = api.manager.stats().pools.length;

    // ---- report the API's strategy --------------------------------------------------------------
    const maxOf = (ss: Sample[], f: (s: Sample) => number) => Math.max(...ss.map(f));
    const clusterRows: Array<Array<string | number>> = [
      ['cluster', 'max pooled conns (stats)', 'max TCP conns (ss)', 'budget', 'within budget'],
    ];
    for (const [i, c] of world.clusters.entries()) {
      const all = [...zipfSamples, ...sweepSamples];
      const maxPooled = maxOf(all, (s) => s.perCluster[i] ?? 0);
      clusterRows.push([
        c,
        maxPooled,
        maxOf(all, (s) => s.tcp[i] ?? 0),
        BUDGET,
        maxPooled <= BUDGET ? 'yes' : 'NO',
      ]);
    }
    const delta = (a: Record<string, number>, b: Record<string, number>, k: string) =>
      (b[k] ?? 0) - (a[k] ?? 0);
    const layers = ['memory', 'redis', 'registry', 'negative'];
    const totalLookups = layers.reduce((s, k) => s + delta(lookupsBefore, lookupsAfter, k), 0);
    const hit = delta(lookupsBefore, lookupsAfter, 'memory') / totalLookups;

    console.log(
      `\n## Many tenants: ${TENANTS} tenants on ${CLUSTERS} FerretDB clusters, one API pod (${config})`,
    );
    console.log(
      `Zipf(s=${ZIPF_S}) for ${DURATION_S} s, ${CONNECTIONS} connections: ${zipfRun.ok} ok of ${zipfRun.requests} ` +
        `(${fmt(zipfRun.rps)} req/s), statuses ${JSON.stringify(zipfRun.statuses)}, errors ${zipfRun.errors}, ` +
        `distinct tenants ${zipfRun.distinct}, latency p50 ${fmt(zipfRun.p50)} ms p90 ${fmt(zipfRun.p90)} ms p99 ${fmt(zipfRun.p99)} ms`,
    );
    console.log(
      `cache lookups by layer: ${layers.map((k) => `${k} ${delta(lookupsBefore, lookupsAfter, k)}`).join(', ')}; ` +
        `in-process hit ratio ${(hit * 100).toFixed(1)}%, ` +
        `memory+redis ${(((delta(lookupsBefore, lookupsAfter, 'memory') + delta(lookupsBefore, lookupsAfter, 'redis')) / totalLookups) * 100).toFixed(1)}%`,
    );
    const sweepStats = summarize(sweepLatencies);
    console.log(
      `every tenant once, lookups by layer: ${layers.map((k) => `${k} ${delta(lookupsSweepBefore, lookupsSweep, k)}`).join(', ')}`,
    );
    console.log(
      `every tenant once (records in Redis): ${TENANTS} requests in ${fmt(sweepSeconds)} s (${fmt(TENANTS / sweepSeconds)} req/s), statuses ${JSON.stringify(statuses)}, ` +
        `p50 ${fmt(sweepStats.p50)} ms p99 ${fmt(sweepStats.p99)} ms`,
    );
    console.log(
      `pools open: ${maxOf([...zipfSamples, ...sweepSamples], (s) => s.pools)} at most (${poolsSweep} at the end); ` +
        `tenant handles at most ${maxOf([...zipfSamples, ...sweepSamples], (s) => s.handles)}`,
    );
    table(clusterRows);
    const memRows: Array<Array<string | number>> = [
      [
        'after',
        'cached tenants',
        'handles',
        'ΔRSS MiB',
        'Δheap MiB',
        'RSS MiB / 1k cached',
        'heap MiB / 1k cached',
      ],
    ];
    for (const [name, m, cached, handles] of [
      ['Zipf run', afterZipf, cachedZipf, handlesZipf],
      ['every tenant once', afterSweep, cachedSweep, handlesSweep],
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
    console.log(
      `memory (after full GC) against the pod with its 3 pools open and no tenant state: RSS ${fmt(before.rss / MiB)} MiB, heap ${fmt(before.heapUsed / MiB)} MiB`,
    );
    table(memRows);
    await api.shutdown('bench over');

    // ---- 3. naive: one MongoClient per tenant ---------------------------------------------------
    const sample_ = tenants.slice(0, NAIVE);
    log(`naive strategy: one MongoClient per tenant for ${sample_.length} tenants`);
    const tcpBefore = ports.map(tcpConnectionsTo);
    const naiveBefore = memory();
    let pooled = 0;
    const naiveStarted = Date.now();
    const clients = await pool(sample_, 16, async (t) => {
      const client = new MongoClient(stack.mongoUris[world.clusters.indexOf(t.cluster as string)] as string);
      client.on('connectionCreated', () => pooled++);
      await client.connect();
      await client
        .db(t.database as string)
        .collection('courses')
        .find({})
        .sort({ _id: 1 })
        .limit(21)
        .toArray();
      return client;
    });
    const naiveSeconds = (Date.now() - naiveStarted) / 1000;
    const tcpAfter = ports.map(tcpConnectionsTo);
    const naiveAfter = memory();
    await Promise.all(clients.map((c) => c.close()));
    const tcpPerCluster = tcpAfter.map((n, i) => n - (tcpBefore[i] ?? 0));
    const tcpTotal = tcpPerCluster.reduce((s, x) => s + x, 0);
    const perTenant = tcpTotal / sample_.length;
    const naiveRss = (naiveAfter.rss - naiveBefore.rss) / MiB;
    const naiveHeap = (naiveAfter.heapUsed - naiveBefore.heapUsed) / MiB;
    console.log(
      `\n## Naive strategy: one MongoClient per tenant (driver defaults), ${sample_.length} tenants, one query each (${fmt(naiveSeconds)} s)`,
    );
    table([
      [
        'strategy',
        'TCP conns (sample)',
        'per cluster',
        'conns per tenant',
        `conns for ${TENANTS}`,
        'RSS MiB / 1k tenants',
        'heap MiB / 1k tenants',
      ],
      [
        'naive (client per tenant)',
        tcpTotal,
        tcpPerCluster.join(' / '),
        perTenant,
        Math.round(perTenant * TENANTS),
        naiveRss / (sample_.length / 1000),
        naiveHeap / (sample_.length / 1000),
      ],
      [
        'pod (pool per cluster)',
        maxOf([...zipfSamples, ...sweepSamples], (s) => s.tcp.reduce((a, b) => a + b, 0)),
        world.clusters
          .map((_, i) => maxOf([...zipfSamples, ...sweepSamples], (s) => s.tcp[i] ?? 0))
          .join(' / '),
        '-',
        `≤ ${BUDGET * CLUSTERS} (budget)`,
        (afterSweep.rss - before.rss) / MiB / ((cachedSweep - cachedBefore) / 1000),
        (afterSweep.heapUsed - before.heapUsed) / MiB / ((cachedSweep - cachedBefore) / 1000),
      ],
    ]);
    console.log(
      `naive pooled connections opened (driver events): ${pooled}; the rest are the driver's monitoring sockets. ` +
        `TCP counts of the pod include this process's registry client and the fixtures' clients.`,
    );
  } finally {
    await world.close();
  }
});
