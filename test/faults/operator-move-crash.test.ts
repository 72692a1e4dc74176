import test from 'ava';
import { MongoClient } from 'mongodb';
import { MOVE_STEPS } from '../../operator/src/reconcile/tenant/outcome.ts';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { freezeAfter, isReady, operatorEnv } from '../operator/operator-fixtures.ts';

/**
 * An operator killed at any recorded point of a move (sourcePolicy Delete, the destructive kind)
 * leaves a tenant the next operator moves the rest of the way: every document once on the target,
 * the registry and Secret pointing there, the source gone, and the API never pointed at a copy
 * that is not complete.
 */
test('an operator killed at any point of a move leaves a tenant the next one finishes, with its data whole on the new cluster', async (t) => {
  const env = await operatorEnv(t);
  const [c1, c2] = [env.name('c1'), env.name('c2')];
  await env.createMongoCluster(c1, 0);
  await env.createMongoCluster(c2, 1);
  const [source, target] = testServers.mongoUris().map((uri) => new MongoClient(uri));
  if (!source || !target) throw new Error('two MongoDB-protocol servers are needed');
  t.teardown(async () => {
    await source.close();
    await target.close();
  });

  for (const step of MOVE_STEPS) {
    const name = env.name(`mv-${step.replace('move-', '')}`);
    const setup = await env.startOperator({ moveDrainMs: 200 });
    await env.createTenant(name, { displayName: name, subdomain: name, placement: { clusterName: c1 } });
    const ready = await env.waitForTenant(name, isReady);
    const database = ready.status?.database ?? '';
    await source
      .db(database)
      .collection('courses')
      .insertMany(Array.from({ length: 25 }, (_, i) => ({ code: `C${i}`, title: `Course ${i}` })));
    await setup.stop();

    // The first operator freezes for good right after `step`: to the world it died there.
    const { afterStep, reached, kill } = freezeAfter(step, name);
    const first = await env.startOperator({
      moveDrainMs: 200,
      afterStep,
    });
    await env.patchTenant(name, { spec: { move: { toCluster: c2, sourcePolicy: 'Delete' } } });
    await reached;
    const second = await env.startOperator({ moveDrainMs: 200 });
    const moved = await env.waitForTenant(
      name,
      (x) => isReady(x) && x.status?.cluster === c2 && x.status?.phase === 'Ready',
      90_000,
    );
    await second.stop();
    const stopping = first.stop();
    kill(new Error('killed'));
    await stopping;

    t.is(moved.status?.cluster, c2, `${step}: on the new cluster`);
    t.is(await target.db(database).collection('courses').countDocuments(), 25, `${step}: every course, once`);
    const { databases } = await source.db('admin').admin().listDatabases();
    t.false(
      databases.some((d) => d.name === database),
      `${step}: the source was dropped`,
    );
    const record = await env.registry.get(name);
    t.like(record, { cluster: c2, status: 'active' }, `${step}: the registry serves the new copy`);
    const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
    const uri = Buffer.from(secret.data?.uri ?? '', 'base64').toString('utf8');
    t.is(uri, record?.dbURI ?? '', `${step}: the Secret and the registry agree`);
    const asTenant = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    t.is(
      await asTenant.db(database).collection('courses').countDocuments(),
      25,
      `${step}: its credentials work there`,
    );
    await asTenant.close();
    await eventually(
      `${step}: events say so`,
      async () => {
        const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
        return events.items.filter((e) => e.involvedObject.name === name).map((e) => e.reason);
      },
      (reasons) => reasons.includes('Moved'),
    );
  }
});
