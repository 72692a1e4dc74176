import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { freePort as getPort } from '../harness/processes.ts';
import { isReady, type OperatorEnv, operatorEnv } from './operator-fixtures.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts `operator/src/main.ts` as its own process for `env`: the ServiceAccount's kubeconfig, the
 * env's registry, Redis, namespace and clusters; `vars` adds the pod name, port and lease timings.
 */
function spawnOperator(env: OperatorEnv, vars: Record<string, string>, stdio: StdioOptions): ChildProcess {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'atrium-operator-')), 'kubeconfig');
  writeFileSync(kubeconfig, env.operatorKubeConfig.exportConfig());
  return spawn(process.execPath, ['--import', 'tsx', 'operator/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      KUBECONFIG: kubeconfig,
      REGISTRY_MONGO_URI: testServers.mongoUris()[0],
      REGISTRY_DATABASE: env.registryDb.databaseName,
      REDIS_URL: testServers.redisUrl(),
      ATRIUM_REGISTRY_KEYS: env.registryKeys,
      POD_NAMESPACE: env.namespace,
      WATCH_NAMESPACE: env.namespace,
      MONGOCLUSTER_SELECTOR: `atrium.dev/test=${env.clusterLabel}`,
      HTTP_HOST: '127.0.0.1',
      ...vars,
    },
    stdio,
  });
}

test('the operator process serves health and metrics, reconciles, and on SIGTERM releases its lease and exits 0', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const port = await getPort();
  const output: string[] = [];
  const child = spawnOperator(
    env,
    {
      POD_NAME: 'operator-0',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'debug',
      LEASE_DURATION_MS: '3000',
      LEASE_RENEW_DEADLINE_MS: '2000',
      LEASE_RETRY_MS: '250',
    },
    ['ignore', 'pipe', 'pipe'],
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  // 'close', not 'exit': the last log lines may still be in the pipe when the process has exited.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
  await eventually(
    '/readyz answering 200',
    async () => (await get('/readyz'))?.status,
    (status) => status === 200,
    {
      timeoutMs: 60_000,
      intervalMs: 200,
    },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${output.join('')}`);
  });
  t.is((await get('/healthz'))?.status, 200);

  const name = env.name('proc');
  await env.createTenant(name, { displayName: 'Process', subdomain: name });
  await env.waitForTenant(name, isReady).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${output.join('')}`);
  });
  // The Ready status is written inside the reconcile; its count lands when the reconcile returns,
  // and the gauges follow the informer's cache, which hears of the status write a moment later.
  const expected = [
    /atrium_operator_reconciles_total\{controller="tenant",result="success"\} [1-9]/,
    /atrium_operator_leader 1/,
    /atrium_operator_tenants\{phase="Ready"\} 1/,
    /atrium_operator_tenants_by_cluster\{cluster="[^"]+"\} 1/,
    /atrium_operator_reconcile_duration_seconds_bucket/,
  ];
  const metrics = await eventually(
    'metrics for the reconcile, the lease and the Ready tenant',
    async () => (await (await get('/metrics'))?.text()) ?? '',
    (text) => expected.every((pattern) => pattern.test(text)),
  );
  for (const pattern of expected) t.regex(metrics, pattern);

  child.kill('SIGTERM');
  t.is(await exited, 0, output.join(''));
  const lease = await env.admin
    .makeApiClient(k8s.CoordinationV1Api)
    .readNamespacedLease({ namespace: env.namespace, name: 'atrium-operator' });
  t.is(lease.spec?.holderIdentity ?? '', '', 'the lease was released');

  const logs = output.join('');
  t.regex(logs, /"msg":"stopped"/);
  const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
  const password = Buffer.from(secret.data?.password ?? '', 'base64').toString('utf8');
  t.false(logs.includes(password), 'no password in the logs');
  t.false(logs.includes(testServers.mongoUris()[0] ?? 'unreachable'), 'no admin URI in the logs');
});

test('two operator processes: SIGKILL the leader and the other takes over within the lease and reconciles', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const leaseDurationMs = 4_000;
  const start = async (pod: string) => {
    const port = await getPort();
    const child = spawnOperator(
      env,
      {
        POD_NAME: pod,
        HTTP_PORT: String(port),
        LEASE_DURATION_MS: String(leaseDurationMs),
        LEASE_RENEW_DEADLINE_MS: '3000',
        LEASE_RETRY_MS: '250',
      },
      'ignore',
    );
    t.teardown(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    return child;
  };
  const leases = env.admin.makeApiClient(k8s.CoordinationV1Api);
  const holder = async () =>
    (
      await leases
        .readNamespacedLease({ namespace: env.namespace, name: 'atrium-operator' })
        .catch(() => null)
    )?.spec?.holderIdentity ?? '';
  const processes = { 'operator-a': await start('operator-a'), 'operator-b': await start('operator-b') };
  const leader = (await eventually('a leader', holder, (identity) => identity !== '', {
    timeoutMs: 60_000,
  })) as keyof typeof processes;
  const follower = leader === 'operator-a' ? 'operator-b' : 'operator-a';
  const first = env.name('before-kill');
  await env.createTenant(first, { displayName: 'Before', subdomain: first });
  await env.waitForTenant(first, isReady, 60_000);

  const killedAt = Date.now();
  processes[leader].kill('SIGKILL');
  await eventually(`${follower} holding the lease`, holder, (identity) => identity === follower, {
    timeoutMs: leaseDurationMs + 15_000,
  });
  const handover = Date.now() - killedAt;
  t.log(
    `process ${leader} killed; ${follower} took the lease after ${handover} ms (lease ${leaseDurationMs} ms)`,
  );
  t.true(handover <= leaseDurationMs + 5_000, `hand-over took ${handover} ms`);
  const second = env.name('after-kill');
  await env.createTenant(second, { displayName: 'After', subdomain: second });
  await env.waitForTenant(second, isReady, 60_000);
});

test('an operator process SIGKILLed in the middle of provisioning leaves nothing the next one cannot finish', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const start = async () => {
    const child = spawnOperator(
      env,
      {
        POD_NAME: `operator-${Math.random().toString(36).slice(2, 8)}`,
        HTTP_PORT: String(await getPort()),
        LEASE_DURATION_MS: '2000',
        LEASE_RENEW_DEADLINE_MS: '1500',
        LEASE_RETRY_MS: '250',
      },
      'ignore',
    );
    t.teardown(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    return child;
  };
  const names = Array.from({ length: 8 }, (_, i) => env.name(`k${i}`));
  const first = await start();
  await Promise.all(
    names.map((name) =>
      env.createTenant(name, {
        displayName: name,
        subdomain: name,
        admin: { email: `admin@${name}.example` },
      }),
    ),
  );
  // Kill it as soon as some tenant is part-way: placed and reserved on a cluster (its registry
  // record provisioning), not yet published. Status says nothing until the end of a pass.
  await eventually(
    'a tenant mid-provisioning',
    () => Promise.all(names.map((name) => env.registry.get(name))),
    (records) => records.some((record) => record?.status === 'provisioning' && !!record.cluster),
    { timeoutMs: 60_000, intervalMs: 20 },
  );
  first.kill('SIGKILL');
  const partial = (await Promise.all(names.map((name) => env.getTenant(name)))).filter(
    (x) => !isReady(x),
  ).length;
  t.log(`killed with ${partial} of ${names.length} tenants not Ready`);
  t.true(partial > 0);

  await start();
  for (const name of names) {
    const ready = await env.waitForTenant(name, isReady, 60_000);
    const secret = await env.core.readNamespacedSecret({ namespace: env.namespace, name: `${name}-db` });
    const uri = Buffer.from(secret.data?.uri ?? '', 'base64').toString('utf8');
    const record = await env.registry.get(name);
    t.is(record?.dbURI, uri, `${name}: registry and Secret agree`);
    t.is(record?.cluster, ready.status?.cluster);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    const admins = await client.db().collection('accounts').countDocuments({ role: 'admin' });
    await client.close();
    t.is(admins, 1, `${name}: exactly one admin`);
  }
});
