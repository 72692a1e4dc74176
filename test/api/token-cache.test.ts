import { randomBytes } from 'node:crypto';
import test from 'ava';
import { VerifiedTokenCache } from '../../api/src/auth/token-cache.ts';
import { signAccessToken, TokenRejected } from '../../api/src/auth/tokens.ts';
import type { TenantRecord } from '../../contract/src/registry/index.ts';
import { tenantRecord } from '../harness/tenant-record.ts';

const tenant = (generation: number, secret = randomBytes(32).toString('base64url')): TenantRecord =>
  tenantRecord({
    tenantId: 'cache-test',
    signingKeys: [{ kid: 'k', alg: 'HS256', jwk: { kty: 'oct', k: secret }, createdAt: new Date(0) }],
    generation,
  });

test('a cached token still expires, and a registry change (new keys) verifies it afresh', async (t) => {
  const cache = new VerifiedTokenCache(64 * 1024);
  const v1 = tenant(1);
  const issued = new Date('2026-11-25T10:00:00Z');
  const token = await signAccessToken(
    v1,
    { userId: 'u', roles: ['student'] },
    { ttlSeconds: 60, now: issued },
  );

  t.is((await cache.verify(token, v1, issued)).userId, 'u');
  t.is((await cache.verify(token, v1, new Date(issued.getTime() + 30_000))).userId, 'u');
  t.is(cache.entries, 1);
  const late = await t.throwsAsync(cache.verify(token, v1, new Date(issued.getTime() + 61_000)));
  t.true(late instanceof TokenRejected && late.reason === 'expired');

  // The tenant's key was rotated (generation 2, another secret): the old token no longer verifies.
  const later = new Date(issued.getTime() + 120_000);
  const fresh = await signAccessToken(
    v1,
    { userId: 'u', roles: ['student'] },
    { ttlSeconds: 60, now: later },
  );
  await cache.verify(fresh, v1, later);
  const rotated = await t.throwsAsync(cache.verify(fresh, tenant(2), later));
  t.true(rotated instanceof TokenRejected);
});
