import { generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { signAccessToken } from '../../api/src/auth/tokens.ts';
import { call, createWorld, hostOf, type World } from './fixtures.ts';

// Access tokens as a pod checks them: the tenant's own keys, expiry, and nothing a client can forge.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('a route for signed-in callers wants a token; expired, tampered, alg-none and garbage tokens are 401', async (t) => {
  const api = await world.startApi();
  const tenant = await world.tenant();
  const anonymous = await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant) });
  t.is(anonymous.status, 401);
  t.is(anonymous.body.code, 'unauthenticated');
  t.is(anonymous.headers['www-authenticate'], 'Bearer');

  const expired = await signAccessToken(
    tenant,
    { userId: 'u', roles: ['admin'] },
    { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) },
  );
  const good = await world.token(tenant, ['admin']);
  const [header, payload, signature] = good.split('.');
  const tamperedPayload = Buffer.from(
    JSON.stringify({
      ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
      roles: ['admin', 'teacher'],
    }),
  ).toString('base64url');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: tenant.signingKeys[0]?.kid })).toString('base64url')}.${payload}.`;
  for (const [name, token] of [
    ['expired', expired],
    ['tampered', `${header}.${tamperedPayload}.${signature}`],
    ['alg none', none],
    ['garbage', 'not-a-jwt'],
  ] as const) {
    const reply = await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token });
    t.is(reply.status, 401, name);
    t.is(reply.body.code, 'invalid-token', name);
  }
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token: good })).status, 200);
});

test('EdDSA keys as the operator makes them (a private JWK in the registry) sign and verify', async (t) => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const api = await world.startApi();
  const tenant = await world.tenant({
    signingKeys: [{ kid: 'ed-1', alg: 'EdDSA', jwk, createdAt: new Date() }],
  });
  const token = await world.token(tenant);
  t.is((await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token })).status, 200);
  const [header, payload] = token.split('.');
  const forged = `${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
  const refused = await call(api.url, 'GET', '/v1/courses', { host: hostOf(tenant), token: forged });
  t.is(refused.status, 401);
  t.is(refused.body.code, 'invalid-token');
});
