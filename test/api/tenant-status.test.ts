import test from 'ava';
import { call, createWorld, hostOf, type World } from './fixtures.ts';

// The status gate: only active tenants are served; every other status has its own answer.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('the status gate: provisioning and moving 503 with Retry-After, suspended 403, deleting 404, deleted 410', async (t) => {
  const api = await world.startApi({ PROVISIONING_RETRY_AFTER_S: '7' });
  const cases = [
    ['provisioning', 503, 'tenant-provisioning'],
    ['moving', 503, 'tenant-moving'],
    ['suspended', 403, 'tenant-suspended'],
    ['deleting', 404, 'tenant-not-found'],
    ['deleted', 410, 'tenant-gone'],
  ] as const;
  for (const [status, http, code] of cases) {
    const tenant = await world.tenant({ status });
    const reply = await call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) });
    t.is(reply.status, http, status);
    t.is(reply.body.code, code, status);
    if (status === 'provisioning' || status === 'moving') t.is(reply.headers['retry-after'], '7', status);
  }
});
