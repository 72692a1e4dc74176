import type * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { MongoClient } from 'mongodb';
import type { MoveStatus } from '../../operator/src/resources/tenant.ts';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { condition, isReady, type OperatorEnv, operatorEnv, type TenantObject } from './operator-fixtures.ts';

const decode = (secret: k8s.V1Secret, key: string) =>
  Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
const moveOf = (tenant: TenantObject) => (tenant.status as { move?: MoveStatus } | undefined)?.move;
const hostOf = (uri: string) => new URL(uri.replace(/^mongodb:/, 'http:')).host;

async function clients(t: { teardown(fn: () => Promise<void>): void }) {
  const [a, b] = testServers.mongoUris().map((uri) => new MongoClient(uri));
  if (!a || !b) throw new Error('the move tests need two MongoDB-protocol servers');
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  return [a, b] as const;
}

async function reasonsFor(env: OperatorEnv, name: string): Promise<string[]> {
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  return events.items.filter((e) => e.involvedObject.name === name).map((e) => e.reason ?? '');
}

test('spec.move copies the tenant to another cluster: data, indexes and user move, the registry and Secret follow, the API is told to wait meanwhile', async (t) => {
  const env = await operatorEnv(t);
  const [c1, c2] = [env.name('c1'), env.name('c2')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(c2, 1);
  await env.startOperator({ moveDrainMs: 1_500 });
  const name = env.name('mover');
  await env.createTenant(name, {
    displayName: 'Mover',
    subdomain: name,
    placement: { clusterName: c1 },
    admin: { email: 'dean@mover.example' },
  });
  const ready = await env.waitForTenant(name, isReady);
  t.is(ready.status?.cluster, c1);
  const database = ready.status?.database ?? '';
  const [first, second] = await clients(t);
  await first
    .db(database)
    .collection('courses')
    .insertMany([1, 2, 3].map((i) => ({ title: `Course ${i}`, code: `C${i}`, createdAt: new Date() })));

  await env.patchTenant(name, { spec: { move: { toCluster: c2 } } });
  // While the database is copied the registry says `moving`: the API answers 503 tenant-moving.
  const during = await eventually(
    'the registry record moving',
    () => env.registry.get(name),
    (record) => record?.status === 'moving',
  );
  t.is(during?.status, 'moving');
  // The status says so just after the registry does.
  const moving = await eventually(
    `tenant ${name} in phase Moving`,
    () => env.getTenant(name),
    (x) => x.status?.phase === 'Moving',
  );
  t.is(moving.status?.phase, 'Moving');
  t.like(condition(moving, 'Ready'), { status: 'False' });

  const moved = await env.waitForTenant(
    name,
    (x) => x.status?.cluster === c2 && isReady(x) && x.status?.phase === 'Ready',
    60_000,
  );
  t.like(moveOf(moved), { fromCluster: c1, toCluster: c2, phase: 'Done', sourcePolicy: 'Retain' });
  t.true((moveOf(moved)?.documents ?? 0) >= 5, 'courses, the admin account and the schema record');
  t.like(condition(moved, 'Moved'), { status: 'True', reason: 'OnRequestedCluster' });

  // The data and its indexes are on the new cluster.
  const target = second.db(database);
  t.is(await target.collection('courses').countDocuments(), 3);
  t.is(await target.collection('accounts').countDocuments({ email: 'dean@mover.example' }), 1);
  const indexNames = (await target.collection('accounts').listIndexes().toArray()).map((i) => i.name);
  const sourceIndexNames = (await first.db(database).collection('accounts').listIndexes().toArray()).map(
    (i) => i.name,
  );
  t.deepEqual(indexNames.sort(), sourceIndexNames.sort());

  // The registry record and the Secret point at the new cluster, and its credentials work there.
  const record = await env.registry.get(name);
  t.like(record, { status: 'active', cluster: c2, database });
  const secondHost = hostOf(testServers.mongoUris()[1] ?? '');
  t.is(hostOf(record?.dbURI ?? ''), secondHost);
  const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  const uri = decode(secret, 'uri');
  t.is(hostOf(uri), secondHost);
  const asTenant = new MongoClient(uri);
  t.teardown(() => asTenant.close());
  t.is(await asTenant.db(database).collection('courses').countDocuments(), 3);

  // Retain: the old copy stays, unused.
  t.is(await first.db(database).collection('courses').countDocuments(), 3);
  const reasons = await eventually(
    'events MoveStarted, Copied and Moved',
    () => reasonsFor(env, name),
    (r) => ['MoveStarted', 'Copied', 'Moved'].every((x) => r.includes(x)),
  );
  for (const reason of ['MoveStarted', 'Copied', 'Moved']) t.true(reasons.includes(reason), reason);
});

test('a move to a cluster that cannot take the tenant is refused with a condition and an event, and changes nothing', async (t) => {
  const env = await operatorEnv(t);
  const [c1, full] = [env.name('c1'), env.name('full')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(full, 1, { cordoned: true });
  await env.startOperator({ moveDrainMs: 100 });
  const name = env.name('stay');
  await env.createTenant(name, { displayName: 'Stay', subdomain: name, placement: { clusterName: c1 } });
  await env.waitForTenant(name, isReady);

  for (const [target, why] of [
    [env.name('nowhere'), /no such MongoCluster/],
    [full, /cordoned/],
  ] as const) {
    await env.patchTenant(name, { spec: { move: { toCluster: target } } });
    const refused = await env.waitForTenant(
      name,
      (x) =>
        condition(x, 'Moved')?.reason === 'MoveTargetUnavailable' &&
        (condition(x, 'Moved')?.message ?? '').includes(target),
    );
    t.like(condition(refused, 'Moved'), { status: 'False' });
    t.regex(condition(refused, 'Moved')?.message ?? '', why);
    t.like(condition(refused, 'Stalled'), { status: 'True', reason: 'MoveTargetUnavailable' });
    t.is(refused.status?.cluster, c1, 'still placed where it was');
    t.like(await env.registry.get(name), { status: 'active', cluster: c1 }, 'still served');
  }
  const reasons = await eventually(
    'a MoveTargetUnavailable event',
    () => reasonsFor(env, name),
    (r) => r.includes('MoveTargetUnavailable'),
  );
  t.true(reasons.includes('MoveTargetUnavailable'));

  // Withdrawn: back to Ready on the same cluster.
  await env.patchTenant(name, { spec: { move: null } });
  const back = await env.waitForTenant(name, (x) => isReady(x) && condition(x, 'Moved') === undefined);
  t.is(back.status?.cluster, c1);
});

test('sourcePolicy Delete drops the old database and user once the tenant runs on the new cluster', async (t) => {
  const env = await operatorEnv(t);
  const [c1, c2] = [env.name('c1'), env.name('c2')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(c2, 1);
  await env.startOperator({ moveDrainMs: 100 });
  const name = env.name('clean');
  await env.createTenant(name, { displayName: 'Clean', subdomain: name, placement: { clusterName: c1 } });
  const ready = await env.waitForTenant(name, isReady);
  const database = ready.status?.database ?? '';
  const [first, second] = await clients(t);
  await first
    .db(database)
    .collection('attendance')
    .insertOne({ sessionDate: '2026-11-26', status: 'present' });

  const usersOf = async () =>
    ((await first.db(database).command({ usersInfo: 1 })) as { users: unknown[] }).users.length;
  t.is(await usersOf(), 1, 'the tenant user exists on the old cluster');

  await env.patchTenant(name, { spec: { move: { toCluster: c2, sourcePolicy: 'Delete' } } });
  await env.waitForTenant(name, (x) => x.status?.cluster === c2 && isReady(x), 60_000);
  t.is(await second.db(database).collection('attendance').countDocuments(), 1);
  const left = await first.db().admin().listDatabases({ nameOnly: true });
  t.false(
    left.databases.some((d) => d.name === database),
    'the old database is gone',
  );
  t.is(await usersOf(), 0, 'and so is its user');
});

test('a move withdrawn before its copy is committed is Abandoned; asked again, it starts from the drain', async (t) => {
  const env = await operatorEnv(t);
  const [c1, c2] = [env.name('c1'), env.name('c2')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(c2, 1);
  await env.startOperator({ moveDrainMs: 60_000 });
  const name = env.name('undecided');
  await env.createTenant(name, { displayName: 'Undecided', subdomain: name, placement: { clusterName: c1 } });
  await env.waitForTenant(name, isReady);

  await env.patchTenant(name, { spec: { move: { toCluster: c2 } } });
  await env.waitForTenant(name, (x) => moveOf(x)?.phase === 'Draining');
  t.is((await env.registry.get(name))?.status, 'moving');
  await env.patchTenant(name, { spec: { move: null } });
  const back = await env.waitForTenant(name, (x) => moveOf(x)?.phase === 'Abandoned' && isReady(x));
  t.is(back.status?.cluster, c1);
  t.like(await env.registry.get(name), { status: 'active', cluster: c1 }, 'served again where it was');
  const reasons = await eventually(
    'a MoveAbandoned event',
    () => reasonsFor(env, name),
    (r) => r.includes('MoveAbandoned'),
  );
  t.true(reasons.includes('MoveAbandoned'));

  // The same request again: a fresh drain, not the old phase.
  await env.patchTenant(name, { spec: { move: { toCluster: c2 } } });
  const again = await env.waitForTenant(name, (x) => moveOf(x)?.phase === 'Draining');
  t.not(moveOf(again)?.startedAt, moveOf(back)?.startedAt);
});

test('a replica that no longer leads stops a move before its next destructive step; the leader finishes it', async (t) => {
  const env = await operatorEnv(t);
  const [c1, c2] = [env.name('c1'), env.name('c2')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(c2, 1);
  let leading = true;
  await env.startOperator({ moveDrainMs: 1_000, stillLeading: () => leading });
  const name = env.name('fenced');
  await env.createTenant(name, { displayName: 'Fenced', subdomain: name, placement: { clusterName: c1 } });
  const ready = await env.waitForTenant(name, isReady);
  const database = ready.status?.database ?? '';
  const [, second] = await clients(t);

  await env.patchTenant(name, { spec: { move: { toCluster: c2 } } });
  await env.waitForTenant(name, (x) => moveOf(x)?.phase === 'Draining');
  leading = false;
  const stopped = await env.waitForTenant(name, (x) => condition(x, 'Moved')?.reason === 'MoveFailed');
  t.regex(condition(stopped, 'Moved')?.message ?? '', /no longer leads/);
  const onTarget = await second.db().admin().listDatabases({ nameOnly: true });
  t.false(
    onTarget.databases.some((d) => d.name === database),
    'nothing copied',
  );
  t.is(stopped.status?.cluster, c1);

  leading = true;
  const moved = await env.waitForTenant(name, (x) => x.status?.cluster === c2 && isReady(x), 60_000);
  t.like(moveOf(moved), { phase: 'Done' });
});

test('two MongoClusters for one server: a move between them is refused before anything changes', async (t) => {
  const env = await operatorEnv(t);
  const [c1, alias] = [env.name('c1'), env.name('alias')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(alias, 0);
  await env.startOperator({ moveDrainMs: 100 });
  const name = env.name('samesrv');
  await env.createTenant(name, { displayName: 'Same', subdomain: name, placement: { clusterName: c1 } });
  await env.waitForTenant(name, isReady);
  await env.patchTenant(name, { spec: { move: { toCluster: alias } } });
  const refused = await env.waitForTenant(
    name,
    (x) => condition(x, 'Moved')?.reason === 'MoveTargetUnavailable',
  );
  t.regex(condition(refused, 'Moved')?.message ?? '', /same server/);
  t.is(moveOf(refused), undefined, 'the move never started');
  t.like(await env.registry.get(name), { status: 'active', cluster: c1 });
});
