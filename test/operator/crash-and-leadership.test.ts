import { hostname } from 'node:os';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { type Clock, systemClock } from '../../contract/src/clock.ts';
import { Operator } from '../../operator/src/controller.ts';
import { LeaderElector } from '../../operator/src/kube/leader-election.ts';
import { TENANT_STEPS } from '../../operator/src/reconcile/tenant/outcome.ts';
import { OperatorReplica } from '../../operator/src/replica.ts';
import { eventually } from '../harness/eventually.ts';
import { freezeAfter, isReady, operatorEnv } from './operator-fixtures.ts';

test('an operator killed between any two steps leaves a tenant the next one finishes', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  for (const step of TENANT_STEPS) {
    const name = env.name(`crash-${step}`);
    // The first operator freezes for good right after `step`: from the world's point of view it
    // died there (nothing after the step is ever written).
    const { afterStep, reached, kill } = freezeAfter(step, name);
    const first = await env.startOperator({
      afterStep,
    });
    await env.createTenant(name, {
      displayName: `Crash ${step}`,
      subdomain: name,
      admin: { email: 'admin@crash.example' },
    });
    await reached;
    if (step === 'reservation') {
      // Before anything exists on the cluster, the API already sees a provisioning tenant (503, not 404).
      t.like(await env.registry.get(name), { status: 'provisioning', dbURI: null });
    }

    const second = await env.startOperator();
    const ready = await env.waitForTenant(name, isReady, 60_000);
    await second.stop();
    const stopping = first.stop();
    kill(new Error('killed'));
    await stopping;

    const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
    const uri = Buffer.from(secret.data?.uri ?? '', 'base64').toString('utf8');
    const record = await env.registry.get(name);
    t.is(record?.dbURI, uri, `${step}: registry and Secret agree`);
    t.is(record?.cluster, ready.status?.cluster);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    await client.db().command({ ping: 1 });
    const admin = await client.db().collection('accounts').countDocuments({ role: 'admin' });
    await client.close();
    t.is(admin, 1, `${step}: exactly one admin`);
  }
});

test('two replicas: one leads and reconciles; when it is killed the other takes over within the lease', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const leaseDurationMs = 5_000;
  // Each election round ends by scheduling the next on the elector's clock: counting those calls
  // tells when a candidate has tried for the lease, instead of guessing how long that takes.
  const rounds = new Map<string, number>();
  const roundsOf = (identity: string) => rounds.get(identity) ?? 0;
  const countingRounds = (identity: string): Clock => ({
    ...systemClock,
    setTimeout(callback, ms, options) {
      rounds.set(identity, roundsOf(identity) + 1);
      return systemClock.setTimeout(callback, ms, options);
    },
  });
  const replica = (identity: string) =>
    new OperatorReplica({
      logger: env.logger,
      elector: new LeaderElector({
        kubeConfig: env.operatorKubeConfig,
        namespace: env.namespace,
        name: 'atrium-operator',
        identity,
        leaseDurationMs,
        renewDeadlineMs: 2_000,
        retryMs: 250,
        logger: env.logger,
        clock: countingRounds(identity),
      }),
      createOperator: () =>
        new Operator({
          kubeConfig: env.operatorKubeConfig,
          registry: env.registry,
          redis: env.redis,
          logger: env.logger,
          watchNamespace: env.namespace,
          mongoClusterSelector: `atrium.dev/test=${env.clusterLabel}`,
          backoff: { baseMs: 100, maxMs: 2_000 },
        }),
    });
  const a = replica(`${hostname()}-a`);
  const b = replica(`${hostname()}-b`);
  t.teardown(async () => {
    await a.stop();
    await b.stop();
  });
  a.start();
  await eventually('replica a leads', () => a.isLeader, Boolean, { timeoutMs: 5_000, intervalMs: 25 });
  b.start();
  await eventually(
    'replica b has tried for the lease three times',
    () => roundsOf(`${hostname()}-b`),
    (n) => n >= 3,
  );
  t.true(a.isLeader);
  t.false(b.isLeader, 'only one replica leads');
  t.is(b.operator, null, 'the follower runs no controllers');

  const first = env.name('lead-a');
  await env.createTenant(first, { displayName: 'A', subdomain: first });
  await env.waitForTenant(first, isReady);

  // Kill the leader: no renewals, no release.
  const killedAt = Date.now();
  await a.abandon();
  await eventually('replica b takes over', () => b.isLeader, Boolean, {
    timeoutMs: leaseDurationMs + 15_000,
    intervalMs: 25,
  });
  const handover = Date.now() - killedAt;
  t.log(`handover after a kill: ${handover} ms (lease ${leaseDurationMs} ms)`);
  // Never before the lease could have expired; soon after it (one retry and a write, with slack
  // for a loaded machine: about lease + 0.4 s when quiet).
  t.true(handover >= leaseDurationMs / 2, `no take-over while the lease was live (${handover} ms)`);
  t.true(handover <= leaseDurationMs + 5_000, `handover took ${handover} ms`);

  const second = env.name('lead-b');
  await env.createTenant(second, { displayName: 'B', subdomain: second });
  await env.waitForTenant(second, isReady);

  // A graceful stop releases the lease: a new replica takes over at once.
  const c = replica(`${hostname()}-c`);
  t.teardown(() => c.stop());
  c.start();
  await eventually(
    'replica c has tried for the lease twice',
    () => roundsOf(`${hostname()}-c`),
    (n) => n >= 2,
  );
  t.false(c.isLeader);
  const stoppedAt = Date.now();
  await b.stop();
  const releasedAt = Date.now();
  await eventually('replica c takes the released lease', () => c.isLeader, Boolean, {
    timeoutMs: leaseDurationMs,
    intervalMs: 25,
  });
  const graceful = Date.now() - releasedAt;
  t.log(
    `graceful stop took ${releasedAt - stoppedAt} ms; the successor led ${graceful} ms after the release`,
  );
  t.true(graceful < leaseDurationMs, 'a released lease is taken without waiting for it to expire');
});
