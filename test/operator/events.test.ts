import { randomUUID } from 'node:crypto';
import test from 'ava';
import { pino } from 'pino';
import { makeKubeClients } from '../../operator/src/kube/clients.ts';
import { EventRecorder } from '../../operator/src/kube/events.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { adminKubeConfig, createNamespace } from './kube-fixtures.ts';

test('a repeated event counts up one Event; another message, object or a later repeat writes a new one', async (t) => {
  const kc = adminKubeConfig();
  const namespace = await createNamespace(t, kc);
  const kube = makeKubeClients(kc);
  const clock = new ManualClock(new Date('2026-11-26T10:00:00Z'));
  const events = new EventRecorder({
    kube,
    component: 'atrium-operator',
    namespaceForClusterScoped: namespace,
    logger: pino({ level: 'silent' }),
    clock,
    aggregateWindowMs: 600_000,
  });
  const tenant = {
    apiVersion: 'atrium.dev/v1alpha1',
    kind: 'Tenant',
    name: 'acme',
    namespace,
    uid: randomUUID(),
  };
  const other = { ...tenant, name: 'globex', uid: randomUUID() };

  for (let i = 0; i < 3; i++) {
    await events.record(tenant, 'Warning', 'CleanupFailed', 'cleanup failed, will retry: connection refused');
    clock.advance(30_000);
  }
  await events.record(tenant, 'Warning', 'CleanupFailed', 'cleanup failed, will retry: timed out');
  await events.record(other, 'Warning', 'CleanupFailed', 'cleanup failed, will retry: connection refused');
  // Past the window the same event starts a new object.
  clock.advance(11 * 60_000);
  await events.record(tenant, 'Warning', 'CleanupFailed', 'cleanup failed, will retry: connection refused');

  const list = await kube.core.listNamespacedEvent({ namespace });
  const summary = list.items.map((e) => `${e.involvedObject.name} ${e.message} ×${e.count}`).sort();
  t.deepEqual(summary, [
    'acme cleanup failed, will retry: connection refused ×1',
    'acme cleanup failed, will retry: connection refused ×3',
    'acme cleanup failed, will retry: timed out ×1',
    'globex cleanup failed, will retry: connection refused ×1',
  ]);
  const counted = list.items.find((e) => e.count === 3);
  t.is(new Date(counted?.firstTimestamp ?? 0).toISOString(), '2026-11-26T10:00:00.000Z');
  t.is(new Date(counted?.lastTimestamp ?? 0).toISOString(), '2026-11-26T10:01:00.000Z');
});
