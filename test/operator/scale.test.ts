import { request } from 'node:https';
import test from 'ava';
import { eventually } from '../harness/eventually.ts';
import { isReady, operatorEnv, type TenantObject } from './operator-fixtures.ts';

/**
 * Many Tenants applied at once. Default 20 (part of every run); ATRIUM_OPERATOR_SCALE=200 for the
 * issue's benchmark. API-server writes are counted from the apiserver's own request metrics, which
 * cover the whole server: the per-tenant figure is exact only when this file runs alone.
 */
const COUNT = Number(process.env.ATRIUM_OPERATOR_SCALE ?? 20);

async function apiserverWrites(env: Awaited<ReturnType<typeof operatorEnv>>): Promise<Map<string, number>> {
  const text = await rawGet(env, '/metrics');
  const writes = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^apiserver_request_total\{(.*)\} (\d+)/.exec(line);
    if (!m?.[1]) continue;
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (!['POST', 'PATCH', 'PUT', 'DELETE', 'APPLY', 'CREATE', 'UPDATE'].includes(String(labels.verb)))
      continue;
    const key = `${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''} ${labels.verb}`;
    writes.set(key, (writes.get(key) ?? 0) + Number(m[2]));
  }
  return writes;
}

async function rawGet(env: Awaited<ReturnType<typeof operatorEnv>>, path: string): Promise<string> {
  const options: import('node:https').RequestOptions = {};
  await env.admin.applyToHTTPSOptions(options);
  const url = new URL(path, env.admin.getCurrentCluster()?.server);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
}

function diff(after: Map<string, number>, before: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d > 0 && /^(tenants|secrets|events|leases|mongoclusters)/.test(k)) out[k] = d;
  }
  return out;
}

test(`${COUNT} Tenants applied at once all become Ready; afterwards nothing is written`, async (t) => {
  t.timeout(15 * 60_000);
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'), 0);
  await env.createMongoCluster(env.name('c2'), 1);
  const operator = await env.startOperator({ concurrency: 8, resyncMs: 2_000 });
  const names = Array.from({ length: COUNT }, (_, i) => env.name(`s${i}`));
  const listTenants = async () =>
    (
      (await env.custom.listNamespacedCustomObject({
        group: 'atrium.dev',
        version: 'v1alpha1',
        namespace: env.namespace,
        plural: 'tenants',
      })) as { items: TenantObject[] }
    ).items;
  const tenantReconciles = async (result: 'success' | 'error') =>
    (await operator.metrics.reconciles.get()).values.find(
      (v) => v.labels.controller === 'tenant' && v.labels.result === result,
    )?.value ?? 0;
  const before = await apiserverWrites(env);
  const successBefore = await tenantReconciles('success');
  const started = Date.now();
  await Promise.all(names.map((name) => env.createTenant(name, { displayName: name, subdomain: name })));
  const pending = new Set(names);
  await eventually(
    `all ${COUNT} tenants Ready`,
    async () => {
      for (const item of await listTenants()) if (isReady(item)) pending.delete(item.metadata.name);
      return [...pending];
    },
    (notReady) => notReady.length === 0,
    { timeoutMs: 14 * 60_000, intervalMs: 250 },
  );
  const elapsed = (Date.now() - started) / 1000;
  const successes = (await tenantReconciles('success')) - successBefore;
  const errors = await tenantReconciles('error');
  const writes = diff(await apiserverWrites(env), before);
  const total = Object.values(writes).reduce((a, b) => a + b, 0);
  t.log(`${COUNT} tenants Ready in ${elapsed.toFixed(1)} s: ${(COUNT / elapsed).toFixed(2)} tenants/s`);
  t.log(
    `${successes} successful tenant reconciles (${(successes / elapsed).toFixed(1)}/s), ${errors} failed (retried)`,
  );
  t.log(`API server writes while provisioning: ${total} (${(total / COUNT).toFixed(1)} per tenant)`, writes);

  // Placement spread the burst over both clusters.
  const perCluster = new Map<string, number>();
  for (const item of await listTenants())
    perCluster.set(item.status?.cluster ?? '', (perCluster.get(item.status?.cluster ?? '') ?? 0) + 1);
  t.log('tenants per cluster', Object.fromEntries(perCluster));
  t.is(perCluster.size, 2);
  for (const n of perCluster.values())
    t.true(Math.abs(n - COUNT / 2) <= 1, 'least-loaded placement balances a burst');

  // Steady state: a resync re-delivers every tenant (COUNT reconciles a round). Once a round has
  // passed since the last one became Ready, five more rounds change no Tenant or Secret.
  const rounds = async (count: number, what: string) => {
    const from = await tenantReconciles('success');
    await eventually(
      what,
      () => tenantReconciles('success'),
      (n) => n >= from + count * COUNT,
      {
        timeoutMs: 60_000 + count * 10_000,
        intervalMs: 250,
      },
    );
  };
  await rounds(1, 'a resync round since the last tenant became Ready');
  const rv = async () => {
    const secrets = await env.core.listNamespacedSecret({ namespace: env.namespace });
    return [
      ...(await listTenants()).map((i) => i.metadata.resourceVersion),
      ...secrets.items.map((s) => s.metadata?.resourceVersion),
    ];
  };
  const steadyBefore = await rv();
  const steadyWritesBefore = await apiserverWrites(env);
  const steadyFrom = Date.now();
  await rounds(5, 'five resync rounds');
  const steadyWrites = diff(await apiserverWrites(env), steadyWritesBefore);
  t.log(
    `steady state over five resync rounds (${((Date.now() - steadyFrom) / 1000).toFixed(1)} s with a 2 s resync): API server writes`,
    steadyWrites,
  );
  t.deepEqual(await rv(), steadyBefore, 'no Tenant or Secret was written in steady state');
});
