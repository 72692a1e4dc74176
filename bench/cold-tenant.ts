/**
 * Benchmark 3 (issue 4): the first request to a tenant this pod has never seen, on a cluster whose
 * pool is already open, against a warm request to the same tenant.
 *
 *   A. HTTP, one request at a time: GET /v1/courses (Host + token) for a tenant in no cache
 *      (memory miss, Redis miss, registry read, new handle, models compiled, first query), then the
 *      same request again (everything warm).
 *   B. HTTP: first request for a tenant whose sealed record is already in Redis (as another pod of
 *      the fleet leaves it): memory miss, Redis hit, new handle.
 *   D. HTTP: first request for a tenant whose database is not migrated yet (the API migrates it).
 *   Tenants of A–C have their database migrated beforehand, as the operator leaves them.
 *   C. In process, the cold path's parts on further fresh tenants: directory.find from the registry
 *      and from Redis, manager.acquire creating a handle (useDb + model compile), the first query on
 *      the new handle, and the same query again.
 *
 *   npx tsx bench/cold-tenant.ts [--samples=100] [--filler=0]
 * --filler registers that many extra tenants first (the registry's size matters on FerretDB, whose
 * look-ups by subdomain scan the collection).
 */

import type { Db } from 'mongodb';
import { createLogger } from '../api/src/observability/logger.ts';
import type { TenantRecord } from '../contract/src/registry/index.ts';
import { applyMigrations } from '../contract/src/tenant-db/migrations.ts';
import { call, createWorld, hostOf } from '../test/api/fixtures.ts';
import { devNull, fmt, log, option, runBench, summarize, table } from './lib/common.ts';

const SAMPLES = option('samples', 100);
const FILLER = option('filler', 0);

runBench(1, async () => {
  const world = await createWorld();
  try {
    const started = Date.now();
    for (let i = 0; i < FILLER; i++)
      await world.tenant({ tenantId: `filler-${i}`, subdomain: `filler-${i}` });
    const make = async (n: number, migrated = true) => {
      const out: Array<{ tenant: TenantRecord; token: string }> = [];
      for (let i = 0; i < n; i++) {
        const tenant = await world.tenant();
        // As the operator leaves a provisioned tenant: its database at the latest schema version.
        if (migrated) await applyMigrations(world.mongo[0]?.db(tenant.database as string) as Db);
        out.push({ tenant, token: await world.token(tenant, ['admin']) });
      }
      return out;
    };
    const warmup = await make(1);
    const setA = await make(SAMPLES);
    const setB = await make(SAMPLES);
    const setC = await make(SAMPLES);
    const setD = await make(SAMPLES, false);
    const registrySize = FILLER + 1 + 4 * SAMPLES;
    log(`registered ${registrySize} tenants in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const api = await world.startApi(
      { LOG_LEVEL: 'info', RATE_LIMITS: '{"free":1000000000,"standard":1000000000,"enterprise":1000000000}' },
      { logger: createLogger('info', devNull()) },
    );
    const get = async (t: { tenant: TenantRecord; token: string }) => {
      const t0 = performance.now();
      const reply = await call(api.url, 'GET', '/v1/courses', { host: hostOf(t.tenant), token: t.token });
      const ms = performance.now() - t0;
      if (reply.status !== 200)
        throw new Error(`GET /v1/courses → ${reply.status} ${JSON.stringify(reply.body)}`);
      return ms;
    };
    // The cluster's pool is open and the code paths are warm before the first sample.
    for (let i = 0; i < 20; i++) await get(warmup[0] as { tenant: TenantRecord; token: string });

    // ---- A and B over HTTP ----------------------------------------------------------------------
    const cold: number[] = [];
    const warm: number[] = [];
    for (const t of setA) {
      cold.push(await get(t));
      warm.push(await get(t));
    }
    for (const { tenant } of setB) {
      const sealed = await world.mongo[0]
        ?.db(world.registryDatabase)
        .collection('tenants')
        .findOne({ _id: tenant.tenantId as never });
      const json = JSON.stringify(sealed);
      await world.publisher.set(
        `${world.redisPrefix}:v1:tenant:sub:${tenant.subdomain}`,
        json,
        'PX',
        600_000,
      );
      await world.publisher.set(`${world.redisPrefix}:v1:tenant:id:${tenant.tenantId}`, json, 'PX', 600_000);
    }
    const fromRedis: number[] = [];
    const fromRedisWarm: number[] = [];
    for (const t of setB) {
      fromRedis.push(await get(t));
      fromRedisWarm.push(await get(t));
    }

    // First request for a tenant whose database the operator has not migrated yet: the API migrates it.
    const unmigrated: number[] = [];
    const unmigratedWarm: number[] = [];
    for (const t of setD) {
      unmigrated.push(await get(t));
      unmigratedWarm.push(await get(t));
    }

    // ---- C in process ---------------------------------------------------------------------------
    const parts: Record<string, number[]> = {
      registry: [],
      redis: [],
      memory: [],
      acquireCold: [],
      acquireWarm: [],
      firstQuery: [],
      secondQuery: [],
    };
    const time = async (key: string, fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      const value = await fn();
      parts[key]?.push((performance.now() - t0) * 1000);
      return value;
    };
    for (const { tenant } of setC) {
      await time('registry', () => api.directory.find({ subdomain: tenant.subdomain }));
      // The record is now in Redis; a pod that has not seen it reads it from there.
      await api.directory.apply({ kind: 'tenant', id: tenant.tenantId, subdomains: [] } as never);
      const sealed = await world.mongo[0]
        ?.db(world.registryDatabase)
        .collection('tenants')
        .findOne({ _id: tenant.tenantId as never });
      await world.publisher.set(
        `${world.redisPrefix}:v1:tenant:sub:${tenant.subdomain}`,
        JSON.stringify(sealed),
        'PX',
        600_000,
      );
      const record = (await time('redis', () =>
        api.directory.find({ subdomain: tenant.subdomain }),
      )) as TenantRecord;
      await time('memory', () => api.directory.find({ subdomain: tenant.subdomain }));
      const checkout = await time('acquireCold', () => api.manager.acquire(record));
      const l = checkout as Awaited<ReturnType<typeof api.manager.acquire>>;
      await time('firstQuery', () => l.models.Course.find({}).sort({ _id: 1 }).limit(21).lean());
      await time('secondQuery', () => l.models.Course.find({}).sort({ _id: 1 }).limit(21).lean());
      l.release();
      const again = await time('acquireWarm', () => api.manager.acquire(record));
      (again as typeof l).release();
    }

    console.log(
      `\n## Cold tenant: ${SAMPLES} samples per row, one request at a time, registry of ${registrySize} tenants on FerretDB, cluster pool already open`,
    );
    const rows: Array<Array<string | number>> = [
      ['GET /v1/courses', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'max ms'],
    ];
    for (const [name, samples] of [
      ['first request, uncached (registry read)', cold],
      ['same tenant, warm', warm],
      ['first request, record in Redis', fromRedis],
      ['same tenant, warm', fromRedisWarm],
      ['first request, registry read, database not migrated yet', unmigrated],
      ['same tenant, warm', unmigratedWarm],
    ] as const) {
      const s = summarize(samples);
      rows.push([name, s.p50, s.p90, s.p99, s.mean, s.max]);
    }
    table(rows);
    const ratio = (a: number[], b: number[]) => summarize(a).p50 / summarize(b).p50;
    console.log(
      `ratio cold/warm p50: ${fmt(ratio(cold, warm))} (registry), ${fmt(ratio(fromRedis, fromRedisWarm))} (Redis); ` +
        `p99: ${fmt(summarize(cold).p99 / summarize(warm).p99)} / ${fmt(summarize(fromRedis).p99 / summarize(fromRedisWarm).p99)}`,
    );
    console.log('\n## Cold path parts, in process (µs)');
    const partRows: Array<Array<string | number>> = [['part', 'p50 µs', 'p99 µs', 'mean µs']];
    const names: Record<string, string> = {
      registry: 'directory.find, registry read (memory + Redis miss)',
      redis: 'directory.find, Redis hit (unseal)',
      memory: 'directory.find, memory hit',
      acquireCold: 'manager.acquire, new handle (useDb + compile models + schema version read)',
      acquireWarm: 'manager.acquire, existing handle',
      firstQuery: 'Course.find on the new handle (first query)',
      secondQuery: 'Course.find again (same handle)',
    };
    for (const [key, samples] of Object.entries(parts)) {
      const s = summarize(samples);
      partRows.push([names[key] ?? key, s.p50, s.p99, s.mean]);
    }
    table(partRows);
  } finally {
    await world.close();
  }
});
