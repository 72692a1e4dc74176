import type * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { MongoClient } from 'mongodb';
import {
  findAccountByEmail,
  LATEST_SCHEMA_VERSION,
  verifyPassword,
} from '../../contract/src/tenant-db/index.ts';
import { eventually } from '../harness/eventually.ts';
import { condition, isReady, operatorEnv } from './operator-fixtures.ts';

const decode = (secret: k8s.V1Secret, key: string) =>
  Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');

test('a Tenant reconciles to Ready: database, user, admin, Secret, registry record, status and events', async (t) => {
  const env = await operatorEnv(t);
  const cluster = env.name('c1');
  await env.createMongoCluster(cluster, 0, { capacity: 50, labels: { region: 'eu' } });
  const operator = await env.startOperator();
  const name = env.name('acme');
  await env.createTenant(name, {
    displayName: 'Acme University',
    subdomain: name,
    plan: 'enterprise',
    admin: { email: 'dean@acme.example' },
    connectionSecret: { uriKey: 'MONGODB_URI', labels: { team: 'lms' }, annotations: { note: 'hello' } },
    cors: { allowedOrigins: ['https://lms.acme.example'] },
  });

  // kubectl wait understands the status.
  await env.kubectl('wait', '--for=condition=Ready', `tenant/${name}`, '-n', env.namespace, '--timeout=60s');
  const tenant = await env.getTenant(name);
  t.true(isReady(tenant));
  t.like(tenant.status, {
    phase: 'Ready',
    cluster,
    secretName: `${name}-db`,
    adminSecretName: `${name}-admin`,
    schemaVersion: LATEST_SCHEMA_VERSION,
  });
  // A migration's rollout shows in kubectl and in a metric of tenants per schema version.
  t.regex(
    await env.kubectl('get', 'tenant', name, '-n', env.namespace),
    new RegExp(`SCHEMA[\\s\\S]*\\s${LATEST_SCHEMA_VERSION}\\s`),
  );
  const byVersion = await operator.metricsRegistry
    .getSingleMetric('atrium_operator_tenants_by_schema_version')
    ?.get();
  t.true(
    byVersion?.values.some((v) => v.labels.version === String(LATEST_SCHEMA_VERSION) && v.value >= 1),
    'the tenant is counted at its schema version',
  );
  for (const type of [
    'DatabaseReady',
    'UserReady',
    'SecretReady',
    'RegistrySynced',
    'AdminSeeded',
    'Placed',
  ]) {
    t.like(condition(tenant, type), { status: 'True', observedGeneration: tenant.metadata.generation }, type);
  }
  t.like(condition(tenant, 'Reconciling'), { status: 'False' });
  t.like(condition(tenant, 'Stalled'), { status: 'False' });
  t.true(tenant.metadata.finalizers?.includes('atrium.dev/tenant-cleanup'));

  // The connection Secret: configured keys, labels, annotations, owner; its URI works.
  const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  t.is(secret.metadata?.labels?.team, 'lms');
  t.is(secret.metadata?.annotations?.note, 'hello');
  t.like(secret.metadata?.ownerReferences?.[0], {
    kind: 'Tenant',
    name,
    uid: tenant.metadata.uid,
    controller: true,
  });
  const uri = decode(secret, 'MONGODB_URI');
  const password = decode(secret, 'password');
  t.true(uri.includes(`:${encodeURIComponent(password)}@`), 'the password is URL-encoded in the URI');
  const asTenant = new MongoClient(uri);
  t.teardown(() => asTenant.close());
  await asTenant.db().collection('probe').insertOne({ hello: 'world' });
  t.is(await asTenant.db().collection('probe').countDocuments(), 1);
  t.is(asTenant.db().databaseName, tenant.status?.database ?? 'missing');

  // The registry record, with the same URI (decrypted).
  const record = await env.registry.get(name);
  t.like(record, {
    status: 'active',
    cluster,
    database: tenant.status?.database,
    plan: 'enterprise',
    subdomain: name,
  });
  t.is(record?.dbURI, uri);
  t.is(record?.signingKeys.length, 1);
  t.deepEqual(record?.corsOrigins, ['https://lms.acme.example'], 'the API allows what spec.cors allows');

  // The seeded admin: password only in its Secret, only a hash in the database.
  const adminSecret = await env.core.readNamespacedSecret({
    namespace: env.namespace,
    name: `${name}-admin`,
  });
  const adminPassword = decode(adminSecret, 'password');
  const account = await findAccountByEmail(asTenant.db(), 'dean@acme.example');
  t.true(await verifyPassword(adminPassword, account?.passwordHash ?? ''));

  // One Event tells what provisioning did (not one per step: a new tenant costs the API server one
  // Event). No secret in status, events or logs.
  const reasonsOf = (list: k8s.CoreV1EventList) =>
    list.items.filter((e) => e.involvedObject.name === name).map((e) => e.reason);
  const events = await eventually(
    'the Provisioned event',
    () => env.core.listNamespacedEvent({ namespace: env.namespace }),
    (list) => reasonsOf(list).includes('Provisioned'),
  );
  t.deepEqual(reasonsOf(events), ['Provisioned'], 'one Event for the whole of provisioning');
  const provisioned = events.items.find((e) => e.involvedObject.name === name)?.message ?? '';
  for (const what of [
    /placed on \S+, the least loaded/,
    /created database \S+ to schema version \d+/,
    /created database user atrium_/,
    /created administrator dean@acme\.example; the initial password is in Secret \S+-admin/,
    /created connection Secret \S+/,
    /registry record \S+ written/,
  ]) {
    t.regex(provisioned, what);
  }
  const visible = [JSON.stringify(tenant), JSON.stringify(events.items), ...env.logLines].join('\n');
  for (const secretValue of [password, encodeURIComponent(password), adminPassword, uri]) {
    t.false(visible.includes(secretValue), 'a secret leaked into status, events or logs');
  }

  // Printer columns.
  const table = await env.kubectl('get', 'tenants', '-n', env.namespace);
  t.regex(table, new RegExp(`${name}\\s+True\\s+Provisioned\\s+${cluster}\\s+${tenant.status?.database}`));
});

test('a resync of a Ready tenant writes nothing; a deleted Secret is restored', async (t) => {
  const env = await operatorEnv(t);
  const cluster = env.name('c1');
  await env.createMongoCluster(cluster);
  const operator = await env.startOperator({ resyncMs: 300 });
  const name = env.name('idem');
  await env.createTenant(name, {
    displayName: 'Idempotent',
    subdomain: name,
    admin: { email: 'a@b.example' },
  });
  const ready = await env.waitForTenant(name, isReady);
  const versions = async () => {
    const tenant = await env.getTenant(name);
    const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
    const admin = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-admin` });
    const record = await env.registry.get(name);
    const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
    const schema = await env.mongo
      .db(ready.status?.database ?? '')
      .collection('atrium_schema')
      .findOne({});
    return {
      tenant: tenant.metadata.resourceVersion,
      secret: secret.metadata?.resourceVersion,
      admin: admin.metadata?.resourceVersion,
      registry: record?.updatedAt.toISOString(),
      events: events.items.length,
      schema: schema?.updatedAt,
    };
  };
  const successes = async () =>
    (await operator.metrics.reconciles.get()).values.find(
      (v) => v.labels.controller === 'tenant' && v.labels.result === 'success',
    )?.value ?? 0;
  // Settled once two reconciles have returned since Ready: the one that wrote it (and its events)
  // and one after it that found nothing to do.
  const atReady = await successes();
  await eventually('two reconciles returned since Ready', successes, (n) => n >= atReady + 2, {
    timeoutMs: 20_000,
  });
  const before = await versions();
  const reconcilesBefore = await successes();
  const reconcilesAfter = await eventually('three resyncs', successes, (n) => n >= reconcilesBefore + 3, {
    timeoutMs: 20_000,
  });
  t.true(reconcilesAfter - reconcilesBefore >= 3, 'resyncs ran');
  t.deepEqual(await versions(), before, 'no write to the API server, the registry or the tenant database');

  // Drift: the connection Secret is deleted by hand, and comes back with working credentials.
  await env.core.deleteNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  const restored = await eventually(
    `Secret ${name}-db restored`,
    () =>
      env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` }).catch(() => undefined),
    (secret) => secret !== undefined,
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  t.truthy(restored, 'the Secret was restored');
  const uri = decode(restored as k8s.V1Secret, 'uri');
  await env.waitForTenant(name, isReady);
  // The registry carries the new credentials too, and they work.
  const record = await eventually(
    'the registry record carrying the new URI',
    () => env.registry.get(name),
    (record) => record?.dbURI === uri,
    { timeoutMs: 10_000, intervalMs: 100 },
  );
  t.is(record?.dbURI, uri);
  const client = new MongoClient(uri);
  t.teardown(() => client.close());
  t.like(await client.db().command({ ping: 1 }), { ok: 1 }, 'the new credentials work');
});
