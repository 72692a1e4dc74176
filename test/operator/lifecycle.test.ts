import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { INVALIDATION_CHANNEL } from '../../contract/src/registry/index.ts';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { condition, isReady, type OperatorEnv, operatorEnv } from './operator-fixtures.ts';

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

test('suspending a tenant flips the registry record and publishes an invalidation; resuming restores it', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator();
  const name = env.name('susp');
  await env.createTenant(name, { displayName: 'Suspendable', subdomain: name });
  await env.waitForTenant(name, isReady);

  const { Redis } = await import('ioredis');
  const subscriber = new Redis(testServers.redisUrl());
  t.teardown(() => subscriber.disconnect());
  const messages: Array<{ id: string; generation?: number }> = [];
  subscriber.on('message', (_channel: string, raw: string) => messages.push(JSON.parse(raw)));
  await subscriber.subscribe(INVALIDATION_CHANNEL);

  const patchSpec = (spec: Record<string, unknown>) => env.patchTenant(name, { spec });
  const started = Date.now();
  await patchSpec({ suspended: true });
  const suspended = await env.waitForTenant(name, (x) => isReady(x) && x.status?.phase === 'Suspended');
  t.is((await env.registry.get(name))?.status, 'suspended');
  t.like(condition(suspended, 'Ready'), { status: 'True', reason: 'Suspended' });
  const latency = Date.now() - started;
  t.log(`suspension reached the registry after ${latency} ms`);
  // Seconds, even with every operator test file running at once on a small machine.
  t.true(latency < 30_000, 'suspension reaches the registry within seconds');
  t.true(messages.some((m) => m.id === name && m.generation === suspended.metadata.generation));

  await patchSpec({ suspended: false });
  await env.waitForTenant(name, (x) => isReady(x) && x.status?.phase === 'Ready');
  t.is((await env.registry.get(name))?.status, 'active');
});

test('deletionPolicy Retain keeps the database and marks the registry record deleted', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator();
  const name = env.name('keep');
  await env.createTenant(name, { displayName: 'Kept', subdomain: name });
  const ready = await env.waitForTenant(name, isReady);
  const database = ready.status?.database ?? '';

  await env.custom.deleteNamespacedCustomObject({
    group: 'atrium.dev',
    version: 'v1alpha1',
    namespace: env.namespace,
    plural: 'tenants',
    name,
  });
  await waitGone(env, name);
  t.is((await env.registry.get(name))?.status, 'deleted');
  const { databases } = await env.mongo.db('admin').admin().listDatabases();
  t.true(
    databases.some((d) => d.name === database),
    'the database is kept',
  );
});

test('deletionPolicy Delete removes the registry record, the user and the database, then the finalizer', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator();
  const name = env.name('gone');
  await env.createTenant(name, { displayName: 'Gone', subdomain: name, deletionPolicy: 'Delete' });
  const ready = await env.waitForTenant(name, isReady);
  const database = ready.status?.database ?? '';
  const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  const uri = Buffer.from(secret.data?.uri ?? '', 'base64').toString('utf8');

  await env.custom.deleteNamespacedCustomObject({
    group: 'atrium.dev',
    version: 'v1alpha1',
    namespace: env.namespace,
    plural: 'tenants',
    name,
  });
  await waitGone(env, name);
  t.is(await env.registry.get(name), null);
  const { databases } = await env.mongo.db('admin').admin().listDatabases();
  t.false(
    databases.some((d) => d.name === database),
    'the database is dropped',
  );
  const users = await env.mongo.db(database).command({ usersInfo: 1 });
  t.deepEqual(users.users, [], 'the user is dropped');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000 });
  t.teardown(() => client.close());
  await t.throwsAsync(client.db().command({ ping: 1 }), undefined, 'the old credentials no longer work');
});

test('a failing Delete cleanup is retried and reported, and the finalizer stays until it succeeds', async (t) => {
  const env = await operatorEnv(t);
  const cluster = env.name('c1');
  await env.createMongoCluster(cluster);
  await env.startOperator();
  const name = env.name('stuck');
  await env.createTenant(name, { displayName: 'Stuck', subdomain: name, deletionPolicy: 'Delete' });
  const ready = await env.waitForTenant(name, isReady);

  // Break the cluster's admin Secret: cleanup cannot reach the database.
  await env.core.patchNamespacedSecret(
    {
      namespace: env.namespace,
      name: `${cluster}-admin`,
      body: { stringData: { uri: 'mongodb://nobody:x@127.0.0.1:1/?serverSelectionTimeoutMS=500' } },
    },
    merge,
  );
  await env.custom.deleteNamespacedCustomObject({
    group: 'atrium.dev',
    version: 'v1alpha1',
    namespace: env.namespace,
    plural: 'tenants',
    name,
  });
  const reported = await env.waitForTenant(
    name,
    (x) => condition(x, 'Ready')?.reason === 'CleanupFailed',
    30_000,
  );
  t.is(reported.status?.phase, 'Deleting');
  t.true(reported.metadata.finalizers?.includes('atrium.dev/tenant-cleanup'));
  t.false(JSON.stringify(reported.status).includes('nobody:x'), 'no credentials in the message');

  // Repair the Secret: the retry completes the cleanup.
  await env.core.patchNamespacedSecret(
    {
      namespace: env.namespace,
      name: `${cluster}-admin`,
      body: { stringData: { uri: testServers.mongoUris()[0] ?? '' } },
    },
    merge,
  );
  await waitGone(env, name, 60_000);
  const { databases } = await env.mongo.db('admin').admin().listDatabases();
  t.false(databases.some((d) => d.name === ready.status?.database));
});

test('the break-glass annotation pauses reconciliation of one Tenant', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator();
  const name = env.name('paused');
  await env.createTenant(name, { displayName: 'Paused', subdomain: name });
  await env.waitForTenant(name, isReady);
  await env.patchTenant(name, {
    metadata: { annotations: { 'atrium.dev/reconcile-paused': 'true' } },
    spec: { displayName: 'Renamed' },
  });
  // The patch that paused it also renamed it: once the operator has looked at the paused
  // tenant, the old name still standing shows the rename was not reconciled.
  await eventually(
    'the operator passes over the paused tenant',
    () => env.logLines.filter((l) => l.includes('reconciliation paused by annotation') && l.includes(name)),
    (lines) => lines.length > 0,
  );
  t.is((await env.registry.get(name))?.displayName, 'Paused', 'nothing was reconciled while paused');
  await env.patchTenant(name, { metadata: { annotations: { 'atrium.dev/reconcile-paused': null } } });
  await env.waitForTenant(name, isReady);
  const renamed = await eventually(
    'the registry record renamed',
    () => env.registry.get(name),
    (record) => record?.displayName === 'Renamed',
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  t.is(renamed?.displayName, 'Renamed');
});

test('a registry record edited by hand is restored; a taken subdomain stalls with a clear reason', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ resyncMs: 500 });
  const name = env.name('drift');
  await env.createTenant(name, { displayName: 'Drift', subdomain: name, plan: 'standard' });
  await env.waitForTenant(name, isReady);
  await env.registryDb
    .collection('tenants')
    .updateOne({ _id: name as never }, { $set: { plan: 'enterprise' } });
  const restored = await eventually(
    'the registry record restored to the spec',
    () => env.registry.get(name),
    (record) => record?.plan === 'standard',
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  t.is(restored?.plan, 'standard');

  const twin = env.name('twin');
  await env.createTenant(twin, { displayName: 'Twin', subdomain: name });
  const stalled = await env.waitForTenant(twin, (x) => condition(x, 'Stalled')?.status === 'True');
  t.like(condition(stalled, 'Ready'), { status: 'False', reason: 'SubdomainTaken' });
  t.like(condition(stalled, 'RegistrySynced'), { status: 'False', reason: 'SubdomainTaken' });
  t.regex(condition(stalled, 'Stalled')?.message ?? '', /subdomain .* is already used by another tenant/);
});

test('an unreachable cluster is reported on the MongoCluster and its tenants, without holding the queue', async (t) => {
  const env = await operatorEnv(t);
  const good = env.name('good');
  const bad = env.name('bad');
  await env.createMongoCluster(good);
  await env.core.createNamespacedSecret({
    namespace: env.namespace,
    body: {
      metadata: { name: 'bad-admin' },
      stringData: { uri: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300' },
    },
  });
  await env.custom.createClusterCustomObject({
    group: 'atrium.dev',
    version: 'v1alpha1',
    plural: 'mongoclusters',
    body: {
      apiVersion: 'atrium.dev/v1alpha1',
      kind: 'MongoCluster',
      metadata: { name: bad, labels: { 'atrium.dev/test': env.clusterLabel } },
      spec: { connectionSecretRef: { name: 'bad-admin', namespace: env.namespace } },
    },
  });
  t.teardown(async () => {
    await env.custom
      .deleteClusterCustomObject({
        group: 'atrium.dev',
        version: 'v1alpha1',
        plural: 'mongoclusters',
        name: bad,
      })
      .catch(() => undefined);
  });
  await env.startOperator();
  const pinnedBad = env.name('onbad');
  const onGood = env.name('ongood');
  await env.createTenant(pinnedBad, {
    displayName: 'On bad',
    subdomain: pinnedBad,
    placement: { clusterName: bad },
  });
  await env.createTenant(onGood, {
    displayName: 'On good',
    subdomain: onGood,
    placement: { clusterName: good },
  });
  await env.waitForTenant(onGood, isReady);
  // The MongoCluster says it is unreachable (once probed; until then placement may still pick it).
  type ClusterObject = {
    status?: { reachable?: boolean; conditions?: Array<{ type: string; reason: string }> };
  };
  const mc = await eventually(
    `MongoCluster ${bad} reported unreachable`,
    () =>
      env.custom.getClusterCustomObject({
        group: 'atrium.dev',
        version: 'v1alpha1',
        plural: 'mongoclusters',
        name: bad,
      }) as Promise<ClusterObject>,
    (object) => object.status?.reachable === false,
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  t.false(mc.status?.reachable);
  t.is(mc.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'ClusterUnreachable');
  const waiting = await env.waitForTenant(
    pinnedBad,
    (x) =>
      condition(x, 'Ready')?.status === 'False' &&
      !!condition(x, 'Ready')?.reason &&
      condition(x, 'Ready')?.reason !== 'Progressing',
  );
  t.regex(condition(waiting, 'Ready')?.reason ?? '', /ClusterUnreachable/);
});

async function waitGone(env: OperatorEnv, name: string, timeoutMs = 60_000) {
  await eventually(
    `tenant ${name} deleted`,
    () =>
      env.getTenant(name).then(
        (tenant) => tenant,
        () => 'gone' as const,
      ),
    (tenant) => tenant === 'gone',
    { timeoutMs, intervalMs: 100 },
  );
}

test('a database user dropped by hand is recreated with the password the Secret holds', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({ resyncMs: 500 });
  const name = env.name('nouser');
  await env.createTenant(name, { displayName: 'No user', subdomain: name });
  const ready = await env.waitForTenant(name, isReady);
  const database = ready.status?.database ?? '';
  const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  const uri = Buffer.from(secret.data?.uri ?? '', 'base64').toString('utf8');
  const username = Buffer.from(secret.data?.username ?? '', 'base64').toString('utf8');
  await env.mongo.db(database).command({ dropUser: username });

  const users = await eventually(
    `user ${username} recreated`,
    async () =>
      (await env.mongo.db(database).command({ usersInfo: { user: username, db: database } }))
        .users as unknown,
    (users) => Array.isArray(users) && users.length > 0,
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  t.true(Array.isArray(users) && users.length > 0, 'the user is back');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  t.teardown(() => client.close());
  await client.db().command({ ping: 1 });
  const after = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  t.is(
    after.metadata?.resourceVersion,
    secret.metadata?.resourceVersion,
    'the Secret did not need to change',
  );
});
