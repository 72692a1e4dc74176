import test from 'ava';
import type { Redis } from 'ioredis';
import type { TenantRecord } from '../../contract/src/registry/index.ts';
import {
  call,
  createWorld,
  hostOf,
  openSchool,
  redisClient,
  type School,
  type World,
} from './api-fixtures.ts';

// An attacker who can write to the Redis the pods share (no AUTH, a leaked password, another
// workload on its network) rewrites what the pods cache of the registry.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

/** The keys the pods cache a tenant under, as an attacker finds them by scanning. */
async function cachedKeys(redis: Redis, tenant: TenantRecord): Promise<string[]> {
  const keys = await redis.keys(`${world.redisPrefix}:*tenant*`);
  return keys.filter((k) => k.endsWith(`:id:${tenant.tenantId}`) || k.endsWith(`:sub:${tenant.subdomain}`));
}

/** Rewrites the fields of a cached tenant record wherever the JSON holds them (also nested in a string). */
function rewrite(value: string, fields: Record<string, unknown>): string {
  const edit = (node: unknown): unknown => {
    if (typeof node === 'string' && node.startsWith('{')) {
      try {
        return JSON.stringify(edit(JSON.parse(node)));
      } catch {
        return node;
      }
    }
    if (!node || typeof node !== 'object') return node;
    const object = node as Record<string, unknown>;
    const edited = Object.fromEntries(Object.entries(object).map(([k, v]) => [k, edit(v)]));
    if ('database' in object && 'status' in object) Object.assign(edited, fields);
    return edited;
  };
  return JSON.stringify(edit(JSON.parse(value)));
}

async function schoolWithCourse(api: School['api'], title: string): Promise<School> {
  const school = await openSchool(world, api);
  const created = await school.as(school.admin)('POST', '/v1/courses', { title, code: title.toUpperCase() });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return school;
}

const courseTitles = async (school: School, api = school.api) =>
  (
    await call(api.url, 'GET', '/v1/courses', { host: hostOf(school.tenant), token: school.admin.token })
  ).body.items?.map((c: { title: string }) => c.title);

const rejections = async (api: School['api']) =>
  (await api.metrics.registry.getSingleMetricAsString('atrium_tenant_cache_rejected_total').catch(() => ''))
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1) ?? 0), 0);

test("a cached record pointed at another tenant's database serves the right tenant's data, and nothing of the other", async (t) => {
  const pod1 = await world.startApi();
  const [victim, other] = [
    await schoolWithCourse(pod1, 'victim-own'),
    await schoolWithCourse(pod1, 'other-secret'),
  ];
  t.deepEqual(await courseTitles(victim), ['victim-own']);
  const victimRecord = await world.registry.get(victim.tenant.tenantId);
  await using redis = await redisClient();
  const keys = await cachedKeys(redis, victim.tenant);
  t.true(keys.length > 0, 'the pod cached the victim in Redis');
  for (const key of keys) {
    const value = await redis.get(key);
    if (value) await redis.set(key, rewrite(value, { database: other.tenant.database }), 'KEEPTTL');
  }

  const pod2 = await world.startApi();
  t.deepEqual(await courseTitles(victim, pod2), ['victim-own'], "the victim's own courses, not the other's");
  t.deepEqual(await courseTitles(other, pod2), ['other-secret'], 'the other tenant is untouched');
  t.deepEqual(await world.registry.get(victim.tenant.tenantId), victimRecord);
  t.true((await rejections(pod2)) >= 1, 'the rejected copy is counted');
  const warning = pod2.logs.lines.find((l) => l.includes('tenant cache'));
  t.truthy(warning, 'and logged');
  t.false(pod2.logs.text.includes('mongodb://'), 'without a URI');
});

test('a suspended tenant flipped to active in Redis stays suspended', async (t) => {
  const pod1 = await world.startApi();
  const school = await openSchool(world, pod1);
  const suspended = await world.registry.setStatus(
    school.tenant.tenantId,
    'suspended',
    school.tenant.generation + 1,
  );
  await world.invalidate(suspended);
  const tenantInfo = (api: School['api']) =>
    call(api.url, 'GET', '/v1/tenant', { host: hostOf(school.tenant) });
  const refused = await tenantInfo(pod1);
  t.is(refused.status, 403);
  await using redis = await redisClient();
  const keys = await cachedKeys(redis, school.tenant);
  t.true(keys.length > 0);
  for (const key of keys) {
    const value = await redis.get(key);
    if (value) await redis.set(key, rewrite(value, { status: 'active' }), 'KEEPTTL');
  }
  const pod2 = await world.startApi();
  const reply = await tenantInfo(pod2);
  t.is(reply.status, 403, JSON.stringify(reply.body));
  t.is(reply.body.code, 'tenant-suspended');
  t.is(
    (await call(pod2.url, 'GET', '/v1/me', { host: hostOf(school.tenant), token: school.admin.token }))
      .status,
    403,
  );
});

test("another tenant's genuine cached record, or a forged 'missing' entry, under a tenant's key is rejected", async (t) => {
  const pod1 = await world.startApi();
  const [victim, other] = [
    await schoolWithCourse(pod1, 'victim-two'),
    await schoolWithCourse(pod1, 'other-two'),
  ];
  await call(pod1.url, 'GET', '/v1/tenant', { host: hostOf('no-such-school') });
  await using redis = await redisClient();
  const [victimKeys, otherKeys, ghostKeys] = [
    await cachedKeys(redis, victim.tenant),
    await cachedKeys(redis, other.tenant),
    (await redis.keys(`${world.redisPrefix}:*tenant*`)).filter((k) => k.endsWith(':sub:no-such-school')),
  ];
  t.true(victimKeys.length > 0 && otherKeys.length > 0 && ghostKeys.length > 0);
  const genuineOther = (await redis.get(otherKeys[0] ?? '')) ?? '';
  for (const key of victimKeys) await redis.set(key, genuineOther, 'KEEPTTL');

  const pod2 = await world.startApi();
  const info = await call(pod2.url, 'GET', '/v1/tenant', { host: hostOf(victim.tenant) });
  t.is(info.body.id, victim.tenant.tenantId, 'the host names the victim; the answer is the victim');
  t.deepEqual(await courseTitles(victim, pod2), ['victim-two']);

  const missing = (await redis.get(ghostKeys[0] ?? '')) ?? '';
  for (const key of victimKeys) await redis.set(key, missing, 'KEEPTTL');
  const pod3 = await world.startApi();
  const found = await call(pod3.url, 'GET', '/v1/tenant', { host: hostOf(victim.tenant) });
  t.is(found.status, 200, 'a forged "no such tenant" does not take the tenant offline');
  t.deepEqual(await courseTitles(other, pod3), ['other-two']);
});
