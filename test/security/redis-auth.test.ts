import { randomBytes } from 'node:crypto';
import test from 'ava';
import { Redis } from 'ioredis';
import { INVALIDATION_CHANNEL, publishInvalidation } from '../../contract/src/registry/invalidation.ts';
import { loadOperatorConfig, redisClientOptions } from '../../operator/src/config.ts';
import { call, createWorld, hostOf, type World } from '../api/fixtures.ts';
import { testServers, uniqueName } from '../harness/env.ts';

// Redis with AUTH (the chart's redis.passwordSecret and redis.username): both halves log in as an
// ACL user that may touch only Atrium's keys and channels; a wrong password stops a pod at start
// with an error that does not echo it.

let world: World;
let admin: Redis;
const user = uniqueName('atrium-user');
const password = randomBytes(18).toString('base64url');

test.before(async () => {
  world = await createWorld();
  admin = new Redis(testServers.redisUrl());
  // Only the keys of this world's pods and the invalidation channel; no admin commands.
  await admin.call(
    'ACL',
    'SETUSER',
    user,
    'reset',
    'on',
    `>${password}`,
    `~${world.redisPrefix}:*`,
    `&${INVALIDATION_CHANNEL}`,
    `&${world.redisPrefix}:revocations:v1`,
    '+@all',
    '-@admin',
    '-@dangerous',
    '+info',
  );
});
test.after.always(async () => {
  await admin?.call('ACL', 'DELUSER', user);
  admin?.disconnect();
  await world?.close();
});

test('an API pod logs in as an ACL user with REDIS_USERNAME and REDIS_PASSWORD, caches tenants and hears invalidations', async (t) => {
  const pod = await world.startApi({ REDIS_USERNAME: user, REDIS_PASSWORD: password });
  const tenant = await world.tenant();
  t.is((await call(pod.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);
  // The record went to Redis under the pod's prefix, written as the ACL user.
  t.true((await admin.keys(`${world.redisPrefix}:*`)).length > 0);
  t.true(pod.directory.holds({ subdomain: tenant.subdomain }));
  await world.invalidate(await world.registry.setStatus(tenant.tenantId, 'suspended', 2));
  await t.notThrowsAsync(async () => {
    for (let i = 0; i < 100 && pod.directory.holds({ subdomain: tenant.subdomain }); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    if (pod.directory.holds({ subdomain: tenant.subdomain })) throw new Error('invalidation not heard');
  });
  const ready = await call(pod.opsUrl, 'GET', '/readyz');
  t.is(ready.status, 200);
});

test('an API pod with a wrong Redis password refuses to start, and its error does not echo the password', async (t) => {
  const wrong = `${password}-wrong`;
  const error = await t.throwsAsync(world.startApi({ REDIS_USERNAME: user, REDIS_PASSWORD: wrong }));
  t.regex(error?.message ?? '', /WRONGPASS|NOAUTH|invalid username-password/i);
  t.false((error?.message ?? '').includes(wrong));
});

test('the operator publishes invalidations as the ACL user', async (t) => {
  const config = loadOperatorConfig({
    REGISTRY_MONGO_URI: testServers.mongoUris()[0],
    ATRIUM_REGISTRY_KEYS: world.keys,
    REDIS_URL: testServers.redisUrl(),
    REDIS_USERNAME: user,
    REDIS_PASSWORD: password,
  });
  const withAuth = new Redis(config.REDIS_URL, { ...redisClientOptions(config), enableOfflineQueue: true });
  const withoutAuth = new Redis(config.REDIS_URL, {
    ...redisClientOptions({ ...config, REDIS_USERNAME: user, REDIS_PASSWORD: 'nope' }),
    enableOfflineQueue: true,
    retryStrategy: () => null,
  });
  withoutAuth.on('error', () => {});
  t.teardown(() => {
    withAuth.disconnect();
    withoutAuth.disconnect();
  });
  const message = { kind: 'tenant' as const, id: 't', generation: 1, subdomains: ['t'] };
  await t.notThrowsAsync(publishInvalidation(withAuth, message));
  await t.throwsAsync(publishInvalidation(withoutAuth, message));
});
