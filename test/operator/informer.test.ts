import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { SupervisedInformer } from '../../operator/src/kube/informer.ts';
import { uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { adminKubeConfig } from './kube-fixtures.ts';
import { capturingLogger } from './operator-fixtures.ts';

test('an informer whose resource is not served yet keeps retrying with backoff, then syncs and delivers', async (t) => {
  const kc = adminKubeConfig();
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const group = `${uniqueName('inf').replace('_', '-')}.atrium.dev`;
  const { logger, lines } = capturingLogger();
  // The API server is real; time is not: restarts and resyncs happen when the test advances it.
  const clock = new ManualClock();
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
    clock,
  });
  t.teardown(async () => {
    await informer.stop();
    await ext.deleteCustomResourceDefinition({ name: `gizmos.${group}` }).catch(() => undefined);
  });
  await informer.start();
  t.false(informer.synced, 'nothing to list yet: 404');
  const retryDelays = () =>
    lines
      .filter((l) => l.includes('watch failed; restarting'))
      .map((l) => (JSON.parse(l) as { retryInMs: number }).retryInMs);
  // Each failure schedules a restart after its backoff; passing that time restarts the informer,
  // which fails again. The third failure's restart stays pending until the CRD exists.
  let delays = await eventually('a first failure logged', retryDelays, (d) => d.length >= 1);
  for (const failures of [2, 3]) {
    clock.advance(delays[failures - 2] ?? 0);
    delays = await eventually(`${failures} failures logged`, retryDelays, (d) => d.length >= failures);
  }
  t.true(delays.length >= 2, `retried ${delays.length} times`);

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
  await eventually(
    'gizmo g1 created once the CRD is served',
    () =>
      custom
        .createClusterCustomObject({
          group,
          version: 'v1',
          plural: 'gizmos',
          body: { apiVersion: `${group}/v1`, kind: 'Gizmo', metadata: { name: 'g1' } },
        })
        .then(
          () => 'created',
          (error: unknown) => String(error),
        ),
    (outcome) => outcome === 'created',
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  // The pending restart falls due: it lists, now successfully, and watches.
  clock.advance(delays[2] ?? 0);
  await eventually(
    'the informer synced with g1',
    () => ({ synced: informer.synced, seen }),
    (state) => state.synced && state.seen.includes('add:g1'),
  );
  t.true(informer.synced);
  t.true(seen.includes('add:g1'), seen.join(','));
  t.true(informer.sinceLastContactMs() < 5_000);
  // Periodic resync re-delivers cached objects without any change on the server.
  const resyncs = () => seen.filter((s) => s === 'resync:g1').length;
  const before = resyncs();
  clock.advance(1_000);
  t.is(resyncs() - before, 2, 'resyncs ran: two in twice resyncMs');
  // Backoff grows and is capped: consecutive retry delays never exceed maxMs.
  t.true(
    retryDelays().every((d) => d >= 50 && d <= 400),
    retryDelays().join(','),
  );
});
