import test from 'ava';
import { signAccessToken, verifyAccessToken } from '../../api/src/auth/tokens.ts';
import { ROTATE_SIGNING_KEY_ANNOTATION } from '../../operator/src/resources/tenant.ts';
import { eventually } from '../harness/eventually.ts';
import { isReady, operatorEnv } from './operator-fixtures.ts';

/**
 * The keys in the registry record are what every API pod signs with (the newest) and verifies
 * against (any of them): a token is checked here exactly as a pod checks it, against the record
 * as the registry holds it.
 */
test('a signing-key rotation: new tokens get the new key at once, tokens of the previous key verify until the overlap ends, then no more', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ signingKeyOverlapMs: 3_000 });
  const name = env.name('keys');
  await env.createTenant(name, { displayName: 'Keys', subdomain: name });
  await env.waitForTenant(name, isReady);
  const before = await env.registry.get(name);
  if (!before) throw new Error('no record');
  const oldToken = await signAccessToken(before, { userId: 'u1', roles: ['teacher'] }, { now: new Date() });

  await env.patchTenant(name, { metadata: { annotations: { [ROTATE_SIGNING_KEY_ANNOTATION]: '2026-11' } } });
  const during = await eventually(
    'a second key',
    () => env.registry.get(name),
    (r) => (r?.signingKeys.length ?? 0) === 2,
  );
  if (!during) throw new Error('no record');
  const newToken = await signAccessToken(during, { userId: 'u1', roles: ['teacher'] }, { now: new Date() });
  const kidOf = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
  t.not(kidOf(newToken), kidOf(oldToken), 'new tokens are signed with the new key');
  t.is(
    (await verifyAccessToken(oldToken, during, new Date())).userId,
    'u1',
    'the previous key still verifies',
  );
  const status = await env.waitForTenant(
    name,
    (x) => (x.status as { signingKeys?: { current?: string } })?.signingKeys?.current === kidOf(newToken),
  );
  t.truthy((status.status as { signingKeys?: { rotatedAt?: string } }).signingKeys?.rotatedAt);

  const after = await eventually(
    'the previous key retired',
    () => env.registry.get(name),
    (r) => r?.signingKeys.length === 1,
    {
      timeoutMs: 30_000,
    },
  );
  if (!after) throw new Error('no record');
  await t.throwsAsync(verifyAccessToken(oldToken, after, new Date()), { message: /rejected/ });
  t.is((await verifyAccessToken(newToken, after, new Date())).userId, 'u1');
});

test('revoke-previous: a leaked key is dropped at once, and every token it signed stops verifying', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ signingKeyOverlapMs: 600_000 });
  const name = env.name('leak');
  await env.createTenant(name, { displayName: 'Leak', subdomain: name });
  await env.waitForTenant(name, isReady);
  const before = await env.registry.get(name);
  if (!before) throw new Error('no record');
  const leaked = await signAccessToken(before, { userId: 'u1', roles: ['admin'] }, { now: new Date() });

  await env.patchTenant(name, {
    metadata: { annotations: { [ROTATE_SIGNING_KEY_ANNOTATION]: 'revoke-previous-incident-7' } },
  });
  const after = await eventually(
    'only a new key',
    () => env.registry.get(name),
    (r) => r?.signingKeys.length === 1 && r.signingKeys[0]?.kid !== before.signingKeys[0]?.kid,
  );
  if (!after) throw new Error('no record');
  await t.throwsAsync(verifyAccessToken(leaked, after, new Date()), { message: /rejected/ });
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  t.true(
    events.items.some(
      (e) => e.involvedObject.name === name && e.reason === 'SigningKeyRotated' && e.type === 'Warning',
    ),
  );
});
