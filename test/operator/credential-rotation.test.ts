import type * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { ROTATION_STEPS } from '../../operator/src/reconcile/tenant/outcome.ts';
import { ROTATE_CREDENTIALS_ANNOTATION } from '../../operator/src/resources/tenant.ts';
import { eventually } from '../harness/eventually.ts';
import {
  condition,
  freezeAfter,
  isReady,
  type OperatorEnv,
  operatorEnv,
  type TenantObject,
} from './operator-fixtures.ts';

const decode = (secret: k8s.V1Secret, key: string) =>
  Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
const credentialsOf = (x: TenantObject) =>
  (
    x.status as
      | { credentials?: { current?: string; rotatedAt?: string; previousRevokedAt?: string } }
      | undefined
  )?.credentials;

async function secretUri(env: OperatorEnv, name: string): Promise<string> {
  return decode(await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` }), 'uri');
}

/** Whether a URI's credentials open the tenant database now (a fresh connection, a read). */
async function works(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000, maxPoolSize: 1 });
  try {
    await client.db().collection('accounts').findOne({});
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

/**
 * Consumers as they are in the field, reading the tenant database every few ms: one that follows
 * the connection Secret, one that follows the registry record (an API pod's dedicated pool).
 * Each keeps one client per URI it was handed, as connection pools do.
 */
function steadyLoad(env: OperatorEnv, name: string) {
  const clients = new Map<string, MongoClient>();
  const errors: string[] = [];
  let reads = 0;
  let stopped = false;
  const client = (uri: string) => {
    let found = clients.get(uri);
    if (!found) {
      found = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000, maxPoolSize: 2 });
      clients.set(uri, found);
    }
    return found;
  };
  const loop = (async () => {
    while (!stopped) {
      for (const uri of [await secretUri(env, name), (await env.registry.get(name))?.dbURI ?? '']) {
        try {
          await client(uri).db().collection('accounts').findOne({});
          reads++;
        } catch (error) {
          errors.push(String(error));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    errors,
    reads: () => reads,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all([...clients.values()].map((c) => c.close()));
    },
  };
}

test('a rotation asked for by annotation: no reader fails during it, the old password stops working after the overlap, and status says when', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ credentialOverlapMs: 2_000 });
  const name = env.name('rot');
  await env.createTenant(name, { displayName: 'Rot', subdomain: name, isolation: 'dedicated' });
  const ready = await env.waitForTenant(name, isReady);
  t.like(credentialsOf(ready), { current: `atrium_${name.replace(/-/g, '_')}` });
  t.like(condition(ready, 'Rotating'), { status: 'False' });
  const before = await secretUri(env, name);

  const load = steadyLoad(env, name);
  await eventually('the load runs', load.reads, (n) => n > 10);
  await env.patchTenant(name, {
    metadata: { annotations: { [ROTATE_CREDENTIALS_ANNOTATION]: 'incident-42' } },
  });
  const rotating = await env.waitForTenant(name, (x) => condition(x, 'Rotating')?.status === 'True');
  t.like(condition(rotating, 'Rotating'), { reason: 'CredentialRotation' });
  const rotated = await env.waitForTenant(name, (x) => credentialsOf(x)?.previousRevokedAt !== undefined);
  const readsAfter = load.reads();
  await eventually('more reads after the rotation', load.reads, (n) => n > readsAfter + 10);
  await load.stop();

  t.deepEqual(load.errors, [], 'no reader failed during the rotation');
  const after = await secretUri(env, name);
  t.not(after, before);
  t.is((await env.registry.get(name))?.dbURI, after, 'the registry carries the new credential');
  t.true(await works(after));
  t.false(await works(before), 'the previous password is refused');
  const credentials = credentialsOf(rotated);
  t.is(credentials?.current, `atrium2_${name.replace(/-/g, '_')}`);
  t.true(Date.parse(credentials?.previousRevokedAt ?? '') >= Date.parse(credentials?.rotatedAt ?? ''));
  t.like(condition(await env.getTenant(name), 'Rotating'), { status: 'False', reason: 'NoRotation' });
  const reasons = (await env.core.listNamespacedEvent({ namespace: env.namespace })).items
    .filter((e) => e.involvedObject.name === name)
    .map((e) => e.reason);
  for (const reason of ['CredentialRotationStarted', 'CredentialsPublished', 'CredentialsRotated']) {
    t.true(reasons.includes(reason), reason);
  }
});

test('an operator killed at any point of a rotation leaves a working credential, and the next one finishes it', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  for (const step of ROTATION_STEPS) {
    const name = env.name(`rc-${step.replace('rotation-', '')}`);
    const setup = await env.startOperator({ credentialOverlapMs: 500 });
    await env.createTenant(name, { displayName: name, subdomain: name });
    await env.waitForTenant(name, isReady);
    await setup.stop();
    const before = await secretUri(env, name);

    const { afterStep, reached, kill } = freezeAfter(step, name);
    const first = await env.startOperator({
      credentialOverlapMs: 500,
      afterStep,
    });
    await env.patchTenant(name, { metadata: { annotations: { [ROTATE_CREDENTIALS_ANNOTATION]: step } } });
    await reached;
    // Where the first operator died, the tenant's consumers can still connect.
    t.true(await works(await secretUri(env, name)), `${step}: the Secret's credential works`);
    t.true(
      await works((await env.registry.get(name))?.dbURI ?? ''),
      `${step}: the registry's credential works`,
    );

    const second = await env.startOperator({ credentialOverlapMs: 500 });
    await env.waitForTenant(name, (x) => isReady(x) && credentialsOf(x)?.previousRevokedAt !== undefined);
    await second.stop();
    const stopping = first.stop();
    kill(new Error('killed'));
    await stopping;

    const after = await secretUri(env, name);
    t.true(await works(after), `${step}: the new credential works`);
    t.is((await env.registry.get(name))?.dbURI, after, `${step}: registry and Secret agree`);
    t.false(await works(before), `${step}: the previous one is gone`);
  }
});

test('rotations asked for while one runs are coalesced: one more follows, for the newest request', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ credentialOverlapMs: 1_500 });
  const name = env.name('co');
  await env.createTenant(name, { displayName: 'Co', subdomain: name });
  await env.waitForTenant(name, isReady);
  await env.patchTenant(name, { metadata: { annotations: { [ROTATE_CREDENTIALS_ANNOTATION]: 'v1' } } });
  await env.waitForTenant(name, (x) => condition(x, 'Rotating')?.status === 'True');
  for (const value of ['v2', 'v3']) {
    await env.patchTenant(name, { metadata: { annotations: { [ROTATE_CREDENTIALS_ANNOTATION]: value } } });
  }
  const user = `atrium_${name.replace(/-/g, '_')}`;
  // v1 moves to the secondary user; one more rotation (for v3) moves back to the primary.
  await env.waitForTenant(
    name,
    (x) => condition(x, 'Rotating')?.status === 'False' && credentialsOf(x)?.current === user,
    90_000,
  );
  const rotations = (await env.core.listNamespacedEvent({ namespace: env.namespace })).items.filter(
    (e) => e.involvedObject.name === name && e.reason === 'CredentialsRotated',
  );
  t.is(
    rotations.reduce((n, e) => n + (e.count ?? 1), 0),
    2,
    'two rotations, not three',
  );
  t.true(await works(await secretUri(env, name)));
});

test('a scheduled rotation (spec.credentials.rotateAfter) happens without being asked', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ credentialOverlapMs: 500 });
  const name = env.name('sched');
  await env.createTenant(name, { displayName: 'Sched', subdomain: name, credentials: { rotateAfter: '5s' } });
  await env.waitForTenant(name, isReady);
  const before = await secretUri(env, name);
  const rotated = await env.waitForTenant(
    name,
    (x) => credentialsOf(x)?.previousRevokedAt !== undefined,
    60_000,
  );
  t.not(credentialsOf(rotated)?.rotatedAt, undefined);
  t.false(await works(before));
  t.true(await works(await secretUri(env, name)));
});
