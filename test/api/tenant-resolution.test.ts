import test from 'ava';
import { call, createWorld, hostOf, type World } from './fixtures.ts';

// How a request names its tenant (subdomain, X-Tenant-ID, token), and what happens when they disagree.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('a tenant resolves by subdomain, by X-Tenant-ID and by its token alone', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const token = await world.token(tenant);
  const expected = {
    id: tenant.tenantId,
    subdomain: tenant.subdomain,
    displayName: tenant.displayName,
    plan: 'standard',
  };
  for (const options of [
    { host: hostOf(tenant) },
    { headers: { 'x-tenant-id': tenant.tenantId } },
    { token },
    { host: hostOf(tenant), headers: { 'x-tenant-id': tenant.tenantId }, token },
  ]) {
    const reply = await call(api.url, 'GET', '/v1/tenant', options);
    t.is(reply.status, 200, JSON.stringify(options));
    t.deepEqual(reply.body, expected);
  }
});

test('sources that disagree are refused with a clear code', async (t) => {
  const api = await world.startApi();
  const [a, b] = [await world.tenant(), await world.tenant()];

  const hostVsHeader = await call(api.url, 'GET', '/v1/tenant', {
    host: hostOf(a),
    headers: { 'x-tenant-id': b.tenantId },
  });
  t.is(hostVsHeader.status, 400);
  t.is(hostVsHeader.body.code, 'tenant-mismatch');
  t.is(hostVsHeader.headers['content-type'], 'application/problem+json');
  t.is(hostVsHeader.body.type, 'https://atrium.dev/problems/tenant-mismatch');

  // (A token of A presented at B: the isolation suite.) A forged token claiming B but signed with
  // A's key fails verification with B's key.
  const forged = await world.token({ ...a, tenantId: b.tenantId, signingKeys: a.signingKeys });
  const reply = await call(api.url, 'GET', '/v1/courses', { host: hostOf(b), token: forged });
  t.is(reply.status, 401);
  t.is(reply.body.code, 'token-tenant-mismatch');
});

test('no tenant, an unknown tenant and a malformed header each get their own problem', async (t) => {
  const api = await world.startApi();
  const none = await call(api.url, 'GET', '/v1/tenant');
  t.is(none.status, 400);
  t.is(none.body.code, 'tenant-required');

  const bySubdomain = await call(api.url, 'GET', '/v1/tenant', { host: hostOf('nobody-here') });
  const byHeader = await call(api.url, 'GET', '/v1/tenant', { headers: { 'x-tenant-id': 'nobody-here' } });
  t.is(bySubdomain.status, 404);
  t.is(byHeader.status, 404);
  // The same answer whichever source named the unknown tenant (the instance differs per request).
  t.deepEqual({ ...bySubdomain.body, instance: undefined }, { ...byHeader.body, instance: undefined });
  t.is(bySubdomain.body.code, 'tenant-not-found');

  const malformed = await call(api.url, 'GET', '/v1/tenant', { headers: { 'x-tenant-id': 'Not/A/Label' } });
  t.is(malformed.status, 400);
  t.is(malformed.body.code, 'malformed-request');
});
