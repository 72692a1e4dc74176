import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { testServers } from '../harness/env.ts';
import { freePort as getPort } from '../harness/processes.ts';
import { isReady, operatorEnv } from './operator-fixtures.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the operator process serves health and metrics, reconciles, and on SIGTERM releases its lease and exits 0', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const dir = mkdtempSync(join(tmpdir(), 'atrium-operator-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, env.operatorKubeConfig.exportConfig());
  const port = await getPort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'operator/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      KUBECONFIG: kubeconfig,
      REGISTRY_MONGO_URI: testServers.mongoUris()[0],
      REGISTRY_DATABASE: env.registryDb.databaseName,
      REDIS_URL: testServers.redisUrl(),
      ATRIUM_REGISTRY_KEYS: env.registryKeys,
      POD_NAMESPACE: env.namespace,
      POD_NAME: 'operator-0',
      WATCH_NAMESPACE: env.namespace,
      MONGOCLUSTER_SELECTOR: `atrium.dev/test=${env.clusterLabel}`,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      LEASE_DURATION_MS: '3000',
      LEASE_RETRY_MS: '250',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
  const deadline = Date.now() + 30_000;
  while ((await get('/readyz'))?.status !== 200) {
    if (Date.now() > deadline) t.fail(`never ready:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  t.is((await get('/healthz'))?.status, 200);

  const name = env.name('proc');
  await env.createTenant(name, { displayName: 'Process', subdomain: name });
  await env.waitForTenant(name, isReady).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${output.join('')}`);
  });
  const metrics = await (await get('/metrics'))?.text();
  t.regex(metrics ?? '', /atrium_operator_reconciles_total\{controller="tenant",result="success"\} [1-9]/);
  t.regex(metrics ?? '', /atrium_operator_tenants\{phase="Ready"\} 1/);
  t.regex(metrics ?? '', /atrium_operator_tenants_by_cluster\{cluster="[^"]+"\} 1/);
  t.regex(metrics ?? '', /atrium_operator_reconcile_duration_seconds_bucket/);

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
