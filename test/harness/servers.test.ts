import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { testServers, uniqueName } from './env.ts';
import { eventually } from './eventually.ts';

test('every MongoDB-protocol cluster answers as a distinct server', async (t) => {
  const uris = testServers.mongoUris();
  t.true(uris.length >= 2, 'the harness provides at least two clusters');
  const marker = uniqueName('harness');
  const clients = uris.map((uri) => new MongoClient(uri));
  try {
    // A write on the first cluster is invisible on the second: they are separate servers.
    await clients[0]
      ?.db(marker)
      .collection('probe')
      .insertOne({ _id: 'x' } as never);
    const elsewhere = await clients[1]?.db(marker).collection('probe').countDocuments();
    t.is(elsewhere, 0);
    const info = await clients[0]?.db('admin').command({ buildInfo: 1 });
    t.is(typeof info?.version, 'string');
    await clients[0]?.db(marker).dropDatabase();
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
});

test('Redis answers and delivers pub/sub', async (t) => {
  const url = testServers.redisUrl();
  const [pub, sub] = [new Redis(url), new Redis(url)];
  try {
    const channel = uniqueName('harness');
    const received = new Promise<string>((resolve) => sub.on('message', (_c, m: string) => resolve(m)));
    await sub.subscribe(channel);
    await pub.publish(channel, 'hello');
    t.is(await received, 'hello');
  } finally {
    pub.disconnect();
    sub.disconnect();
  }
});

test('kube-apiserver: create a namespace, apply a CRD, create and list a custom resource', async (t) => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(testServers.kubeconfig());
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);

  const namespace = uniqueName('smoke').replace('_', '-');
  await core.createNamespace({ body: { metadata: { name: namespace } } });

  const group = `${namespace}.smoke.atrium.dev`;
  await ext.createCustomResourceDefinition({
    body: {
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    },
  });

  // A CRD is served only once it is Established.
  await eventually(
    `CRD widgets.${group} Established`,
    async () => (await ext.readCustomResourceDefinition({ name: `widgets.${group}` })).status?.conditions,
    (conditions) => !!conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
    { timeoutMs: 30_000, intervalMs: 100 },
  );

  await custom.createNamespacedCustomObject({
    group,
    version: 'v1',
    namespace,
    plural: 'widgets',
    body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
  });
  const list = (await custom.listNamespacedCustomObject({
    group,
    version: 'v1',
    namespace,
    plural: 'widgets',
  })) as {
    items: Array<{ metadata: { name: string }; spec: { size: number } }>;
  };
  t.deepEqual(
    list.items.map((i) => [i.metadata.name, i.spec.size]),
    [['w1', 3]],
  );

  await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` });
  await core.deleteNamespace({ name: namespace });
});
