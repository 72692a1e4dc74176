/**
 * How the registry's operations scale with the number of tenants on the test backend (FerretDB v1,
 * SQLite): TenantRegistry.put (claim the subdomain, upsert guarded by generation), findSealed by
 * tenant id (`_id`) and by subdomain (its claim in `tenant_subdomains`, then the record, both by
 * `_id`: FerretDB v1 scans for any other field), an unknown subdomain, and ensureIndexes with no
 * claim missing (what every pod start pays), at growing registry sizes. The registry grows the way
 * many-tenants.ts fills it, through a staging registry whose records are copied in bulk, without
 * their claims: ensureIndexes backfills them, as for a registry written by an older version.
 *
 *   npx tsx bench/registry-scaling.ts [--sizes=0,1000,2000,4000] [--probes=20]
 */
import type { Collection, Db } from 'mongodb';
import { Keyring, RegistryCipher, TenantRegistry } from '../contract/src/registry/index.ts';
import { createWorld } from '../test/api/fixtures.ts';
import { tenantInput } from '../test/harness/tenant-record.ts';
import { log, option, runBench, summarize, table } from './lib/common.ts';

const SIZES = (process.argv.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '0,1000,2000,4000')
  .split(',')
  .map(Number);
const PROBES = option('probes', 20);

const input = (tenantId: string) => tenantInput({ tenantId, cluster: 'cluster-0' });

runBench(1, async () => {
  const world = await createWorld();
  try {
    const cipher = new RegistryCipher(Keyring.parse(world.keys));
    const stagingDb = world.mongo[0]?.db(`${world.registryDatabase}_staging`) as Db;
    const staging = new TenantRegistry({ db: stagingDb, cipher });
    const real = world.mongo[0]?.db(world.registryDatabase).collection('tenants') as Collection;
    let have = 0;
    const rows: Array<Array<string | number>> = [
      [
        'tenants in registry',
        'put ms p50',
        'findSealed by _id ms p50',
        'findSealed by subdomain (claim) ms p50',
        'by subdomain p99',
        'unknown subdomain ms p50',
        'ensureIndexes, none missing, ms',
      ],
    ];
    for (const size of SIZES) {
      // Grow to `size` with documents written by put (into a small staging registry, then copied
      // without their claims, which ensureIndexes backfills).
      const grownFrom = have;
      while (have < size) {
        const n = Math.min(250, size - have);
        for (let i = 0; i < n; i++) await staging.put(input(`grow-${have + i}`));
        await real.insertMany(await stagingDb.collection('tenants').find({}).toArray());
        await stagingDb.collection('tenants').deleteMany({});
        await stagingDb.collection('tenant_subdomains').deleteMany({});
        have += n;
      }
      let t0 = performance.now();
      await world.registry.ensureIndexes();
      log(`ensureIndexes backfilled ${have - grownFrom} claims in ${(performance.now() - t0).toFixed(0)} ms`);
      t0 = performance.now();
      await world.registry.ensureIndexes();
      const ensure = performance.now() - t0;
      const total = have + SIZES.indexOf(size) * PROBES;
      const put: number[] = [];
      for (let i = 0; i < PROBES; i++) {
        t0 = performance.now();
        await world.registry.put(input(`probe-${size}-${i}`));
        put.push(performance.now() - t0);
      }
      const byId: number[] = [];
      const bySub: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < PROBES; i++) {
        // Every subdomain equals its tenant id here; with no grown tenant yet, probe the put ones.
        const id = have > 0 ? `grow-${Math.floor(Math.random() * have)}` : `probe-${size}-${i}`;
        t0 = performance.now();
        await world.registry.findSealed({ tenantId: id });
        byId.push(performance.now() - t0);
        t0 = performance.now();
        const found = await world.registry.findSealed({ subdomain: id });
        bySub.push(performance.now() - t0);
        // A fast miss would measure nothing.
        if (found?._id !== id) throw new Error(`subdomain ${id} found ${found?._id ?? 'nothing'}`);
        t0 = performance.now();
        await world.registry.findSealed({ subdomain: `unknown-${size}-${i}` });
        unknown.push(performance.now() - t0);
      }
      log(`size ${total} measured`);
      rows.push([
        total,
        summarize(put).p50,
        summarize(byId).p50,
        summarize(bySub).p50,
        summarize(bySub).p99,
        summarize(unknown).p50,
        ensure,
      ]);
    }
    await stagingDb.dropDatabase();
    console.log(
      `\n## Registry operations on FerretDB by registry size (${PROBES} probes each, one at a time)`,
    );
    table(rows);
  } finally {
    await world.close();
  }
});
