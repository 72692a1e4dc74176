import test from 'ava';
import { call, createWorld, hostOf, type World } from './api-fixtures.ts';

// An Internet client on the public port probes for the pod's operational endpoints: metrics name
// clusters, plans and routes; readiness tells when the registry or Redis is down.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('the public port serves the LMS only: metrics, readiness and liveness live on the ops port', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  for (const path of ['/metrics', '/readyz', '/healthz']) {
    for (const host of [undefined, hostOf(tenant)]) {
      const reply = await call(api.url, 'GET', path, host ? { host } : {});
      t.is(reply.status, 404, `${path} on the public port (Host ${host ?? 'none'})`);
      t.is(reply.body.code, 'not-found');
    }
  }
  t.is((await call(api.url, 'GET', '/openapi.json')).status, 200);
  t.is((await call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);

  t.not(api.opsUrl, api.url);
  t.deepEqual((await call(api.opsUrl, 'GET', '/healthz')).body, { status: 'ok' });
  t.is((await call(api.opsUrl, 'GET', '/readyz')).status, 200);
  t.regex(String((await call(api.opsUrl, 'GET', '/metrics')).body), /atrium_http_request_duration_seconds/);
  t.is(
    (await call(api.opsUrl, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status,
    404,
    'and no LMS there',
  );
});
