import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { SupervisedInformer } from '../../operator/src/kube/informer.ts';
import { uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { adminKubeConfig } from './kube-fixtures.ts';
import { capturingLogger } from './operator-fixtures.ts';

test('an informer whose resource is not served yet keeps retrying with backoff, then syncs and delivers', async (t) => {
  const kc = adminKubeConfig();
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const group = `${uniqueName('inf').replace('_', '-')}.atrium.dev`;
  const { logger, lines } = capturingLogger();
  const seen: string[] = [];
  const informer = new SupervisedInformer<k8s.KubernetesObject>({
    name: 'gizmos',
    kubeConfig: kc,
    path: `/apis/${group}/v1/gizmos`,
    list: () =>
      custom.listClusterCustomObject({ group, version: 'v1', plural: 'gizmos' }) as Promise<
        k8s.KubernetesListObject<k8s.KubernetesObject>
      >,
    onObject: (object, event) => seen.push(`${event}:${object.metadata?.name}`),
    resyncMs: 500,
    relistMs: 60_000,
    backoff: { baseMs: 100, maxMs: 400 },
    logger,
  });
  t.teardown(async () => {
    await informer.stop();
    await ext.deleteCustomResourceDefinition({ name: `gizmos.${group}` }).catch(() => undefined);
  });
  await informer.start();
  t.false(informer.synced, 'nothing to list yet: 404');
  const retryCount = () => lines.filter((l) => l.includes('watch failed; restarting')).length;
  const retries = await eventually(retryCount, (n) => n >= 2);
  t.true(retries >= 2, `retried ${retries} times`);

  await ext.createCustomResourceDefinition({
    body: {
      metadata: { name: `gizmos.${group}` },
      spec: {
        group,
        scope: 'Cluster',
        names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
          },
        ],
      },
    },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const created = await custom
      .createClusterCustomObject({
        group,
        version: 'v1',
        plural: 'gizmos',
        body: { apiVersion: `${group}/v1`, kind: 'Gizmo', metadata: { name: 'g1' } },
      })
      .then(() => true)
      .catch(() => false);
    if (created) break;
    if (Date.now() > deadline) throw new Error('CRD never served');
    await new Promise((r) => setTimeout(r, 100));
  }
  while (!seen.includes('add:g1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.true(informer.synced);
  t.true(seen.includes('add:g1'), seen.join(','));
  t.true(informer.sinceLastContactMs() < 5_000);
  // Periodic resync re-delivers cached objects without any change on the server.
  const resyncs = () => seen.filter((s) => s === 'resync:g1').length;
  const before = resyncs();
  t.true((await eventually(resyncs, (n) => n - before >= 2)) - before >= 2, 'resyncs ran');
  // Backoff grows and is capped: consecutive retry delays never exceed maxMs.
  const delays = lines
    .filter((l) => l.includes('watch failed; restarting'))
    .map((l) => (JSON.parse(l) as { retryInMs: number }).retryInMs);
  t.true(
    delays.every((d) => d >= 50 && d <= 400),
    delays.join(','),
  );
});
