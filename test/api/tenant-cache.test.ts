import { randomBytes } from 'node:crypto';
import test from 'ava';
import { CachedRecordSealer, Keyring } from '../../contract/src/registry/index.ts';
import { eventually } from '../harness/eventually.ts';
import { call, createWorld, hostOf, type World } from './fixtures.ts';

// The tenant directory: what a pod keeps of the registry, how a change reaches it, and what it
// spares the registry.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('an invalidation reaches every pod within a second, without waiting for the cache TTL', async (t) => {
  const env = { TENANT_CACHE_TTL_MS: '600000', TENANT_REDIS_TTL_MS: '600000' };
  const [pod1, pod2] = [await world.startApi(env), await world.startApi(env)];
  const tenant = await world.tenant();
  for (const pod of [pod1, pod2])
    t.is((await call(pod.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);

  for (const pod of [pod1, pod2]) t.true(pod.directory.holds({ subdomain: tenant.subdomain }));
  const suspended = await world.registry.setStatus(tenant.tenantId, 'suspended', 2);
  await world.invalidate(suspended);
  const started = performance.now();
  // Every pod applies the message within a second: its cached copy is gone...
  for (const [i, pod] of [pod1, pod2].entries()) {
    await eventually(
      `pod ${i + 1} drops the tenant within a second`,
      () => pod.directory.holds({ subdomain: tenant.subdomain }),
      (held) => !held,
      { timeoutMs: 1_000, intervalMs: 5 },
    );
  }
  t.log(`applied by both pods after ${Math.round(performance.now() - started)} ms`);
  // ...and serves the new status from then on (its next request reads the registry).
  for (const pod of [pod1, pod2]) {
    const reply = await eventually(
      'the pod answers with the new status',
      () => call(pod.url, 'GET', '/v1/tenant', { host: hostOf(tenant) }),
      (r) => r.status === 403,
    );
    t.is(reply.body.code, 'tenant-suspended');
  }
});

test('unknown tenants are negatively cached: a flood of random look-ups reads the registry once per name', async (t) => {
  const api = await world.startApi();
  const registryReads = async () =>
    (await api.metrics.cacheLookups.get()).values.find((v) => v.labels.layer === 'registry')?.value ?? 0;
  const before = await registryReads();
  for (let i = 0; i < 20; i++) {
    t.is((await call(api.url, 'GET', '/v1/tenant', { host: hostOf('ghost-tenant') })).status, 404);
  }
  t.is((await registryReads()) - before, 1);
});

test('concurrent first requests for one tenant read the registry once (single-flight)', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const registryReads = async () =>
    (await api.metrics.cacheLookups.get()).values.find((v) => v.labels.layer === 'registry')?.value ?? 0;
  const before = await registryReads();
  const replies = await Promise.all(
    Array.from({ length: 25 }, () => call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })),
  );
  t.true(replies.every((r) => r.status === 200));
  t.is((await registryReads()) - before, 1);
});

test("a pod serves another pod's Redis entry after verifying it, also across a registry key rotation", async (t) => {
  const [pod1, pod2] = [await world.startApi(), await world.startApi()];
  const tenant = await world.tenant();
  t.is((await call(pod1.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);
  const layer = async (pod: typeof pod1, name: string) =>
    (await pod.metrics.cacheLookups.get()).values.find((v) => v.labels.layer === name)?.value ?? 0;
  t.is((await call(pod2.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);
  t.is(await layer(pod2, 'redis'), 1, 'from Redis, not the registry');
  t.is(await layer(pod2, 'registry'), 0);
  t.is((await pod2.metrics.cacheRejected.get()).values.length, 0);

  // Entries carry the key id they were authenticated with; any key of the ring verifies them.
  const [oldKey] = world.keys.split(',');
  const sealer = new CachedRecordSealer(Keyring.parse(world.keys));
  const rotated = new CachedRecordSealer(
    Keyring.parse(`${oldKey},2027-01=${randomBytes(32).toString('base64')}`),
  );
  const sealed = await world.registry.findSealed({ tenantId: tenant.tenantId });
  const entry = sealer.seal(`id:${tenant.tenantId}`, sealed, Date.now() + 60_000);
  t.like(rotated.open(`id:${tenant.tenantId}`, entry, Date.now()), { ok: true });
  t.like(rotated.open(`sub:${tenant.subdomain}`, entry, Date.now()), { ok: false, reason: 'mismatch' });
  t.like(rotated.open(`id:${tenant.tenantId}`, entry, Date.now() + 61_000), { ok: false, reason: 'expired' });
  const stranger = new CachedRecordSealer(Keyring.parse(`2026-01=${randomBytes(32).toString('base64')}`));
  t.like(stranger.open(`id:${tenant.tenantId}`, entry, Date.now()), { ok: false, reason: 'forged' });
  const retired = new CachedRecordSealer(Keyring.parse(`2027-01=${randomBytes(32).toString('base64')}`));
  t.like(retired.open(`id:${tenant.tenantId}`, entry, Date.now()), { ok: false, reason: 'unknown-key' });
});
