import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { dump, load, loadAll } from 'js-yaml';
import { call } from '../../scripts/lib/http-client.ts';
import { runLmsSession } from '../../scripts/lib/lms-session.ts';
import { type RunningSystem, startSystem } from '../../scripts/lib/system.ts';
import { binaryPath } from '../harness/binaries.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { hostOf as addressOf, type FaultyLink, Toxiproxy, through } from '../harness/toxiproxy.ts';
import { type Exposition, parseExposition, promtool, ScrapeTimeline } from './prometheus.ts';

/**
 * The chart's alert rules and dashboard against what Atrium really exposes. A real operator and API
 * (processes, as the local stack runs them) serve two tenants, one on each MongoDB cluster, each
 * cluster behind a Toxiproxy link; a round of traffic, then a scrape of both /metrics, is repeated
 * through three phases: healthy; cluster B cut, cluster A slow and busy, a tenant that cannot be
 * provisioned; the operator gone and the API's registry cut. The scrapes, one round a minute, with
 * the target labels the Prometheus Operator adds, are the input series of `promtool test rules`:
 * nothing fires while healthy, each alert fires for the fault it is about, with its labels and
 * annotations. Every dashboard query parses, names metrics the targets declare, and shows data.
 */

const exec = promisify(execFile);
const RELEASE = 'alerts';
const NAMESPACE = uniqueName('alerts').replace('_', '-');
const API_TARGET = {
  namespace: NAMESPACE,
  job: `${RELEASE}-atrium-api-ops`,
  pod: `${RELEASE}-atrium-api-6f7d9c8b5-x2x9q`,
  instance: '10.0.3.17:9090',
};
const OPERATOR_TARGET = {
  namespace: NAMESPACE,
  job: `${NAMESPACE}/${RELEASE}-atrium-operator`,
  pod: `${RELEASE}-atrium-operator-7c5b8d9f6-k4m2n`,
  instance: '10.0.3.21:8081',
};
/** Rounds per phase: long enough for each alert's `for` plus its rate window. */
const HEALTHY = 12;
const DEGRADED = 22;
const DOWN = 10;
/** What the test renders the chart with, and starts the API with. */
const BUDGET = 4;
const P99_SECONDS = 0.5;
const LATENCY_MS = 700;

let system: RunningSystem;
let proxies: Toxiproxy;
let clusterLinks: FaultyLink[];
let registryLink: FaultyLink;
let redisLink: FaultyLink;

test.before(async () => {
  proxies = new Toxiproxy(testServers.toxiproxyUrl());
  const uris = testServers.mongoUris();
  clusterLinks = await Promise.all(
    uris.map((uri, i) => proxies.link(uniqueName(`alerts-cluster${i}`), addressOf(uri))),
  );
  registryLink = await proxies.link(uniqueName('alerts-registry'), addressOf(uris[0] ?? ''));
  redisLink = await proxies.link(uniqueName('alerts-redis'), addressOf(testServers.redisUrl()));
  system = await startSystem({
    namespace: NAMESPACE,
    release: RELEASE,
    clusterPrefix: NAMESPACE,
    baseDomain: 'lms.test',
    log: () => {},
    servers: {
      mongoUris: uris,
      mongoFlavour: testServers.mongoFlavour(),
      redisUrl: testServers.redisUrl(),
      kubeconfig: testServers.kubeconfig(),
      kubectl: testServers.kubectl(),
    },
    clusterUris: uris.map((uri, i) => through(uri, clusterLinks[i]?.address ?? '')),
    apiRegistryUri: through(uris[0] ?? '', registryLink.address),
    apiRedisUrl: through(testServers.redisUrl(), redisLink.address),
    apiEnv: {
      POOL_BUDGET_PER_CLUSTER: String(BUDGET),
      POOL_SHARED_MAX: String(BUDGET),
      POOL_DEDICATED_MAX: '1',
    },
  });
});

test.after.always(async () => {
  await system?.kubectl(['delete', 'namespace', NAMESPACE, '--wait=false']).catch(() => undefined);
  await system?.close();
  for (const cluster of system?.clusters ?? []) {
    await system.kubectl(['delete', 'mongocluster', cluster, '--wait=false']).catch(() => undefined);
  }
  await proxies?.close();
});

async function render(): Promise<{ rules: string; dashboard: string }> {
  const { stdout } = await exec(
    await binaryPath('helm'),
    [
      'template',
      RELEASE,
      'charts/atrium',
      '--namespace',
      NAMESPACE,
      '--set',
      'registry.mongoUri=mongodb://registry:27017',
      '--set',
      'redis.url=redis://redis:6379',
      '--set',
      'encryption.existingSecret=keys',
      '--set',
      'prometheusRule.enabled=true',
      // --set would pass a fraction as a string.
      '--set-json',
      `prometheusRule.p99Seconds=${P99_SECONDS}`,
      '--set',
      'grafanaDashboard.enabled=true',
      '--set',
      `api.pool.budgetPerCluster=${BUDGET}`,
      '--set',
      `api.pool.sharedMax=${BUDGET}`,
    ],
    { maxBuffer: 32 * 1024 * 1024 },
  );
  const documents = loadAll(stdout) as Array<{
    kind?: string;
    spec?: unknown;
    data?: Record<string, string>;
  }>;
  const rule = documents.find((d) => d?.kind === 'PrometheusRule');
  const dashboard = documents.find((d) => d?.kind === 'ConfigMap' && d.data?.['atrium.json']);
  if (!rule || !dashboard) throw new Error('the chart rendered no PrometheusRule or dashboard');
  return { rules: dump(rule.spec), dashboard: dashboard.data?.['atrium.json'] ?? '' };
}

interface Rule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

async function scrape(url: string): Promise<Exposition | undefined> {
  try {
    const response = await fetch(`${url}/metrics`);
    return response.ok ? parseExposition(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

test('the alert rules fire for the faults they are about, and only then; the dashboard shows real series', async (t) => {
  t.timeout(10 * 60_000);
  const { rules, dashboard } = await render();
  const ns = NAMESPACE;
  const kubectl = system.kubectl;
  const tenant = (name: string, cluster: string) =>
    JSON.stringify({
      apiVersion: 'atrium.dev/v1alpha1',
      kind: 'Tenant',
      metadata: { name, namespace: ns },
      spec: {
        displayName: name,
        subdomain: name,
        plan: 'standard',
        deletionPolicy: 'Delete',
        placement: { clusterName: cluster },
        admin: { email: `admin@${name}.example.edu` },
      },
    });
  const [clusterA = '', clusterB = ''] = system.clusters;
  await kubectl(['apply', '-f', '-'], tenant('alpha', clusterA));
  await kubectl(['apply', '-f', '-'], tenant('beta', clusterB));
  await kubectl(['wait', '-n', ns, '--for=condition=Ready', 'tenant/alpha', 'tenant/beta', '--timeout=120s']);
  const tokens: Record<string, string> = {};
  for (const name of ['alpha', 'beta']) {
    const session = await runLmsSession({
      apiUrl: system.apiUrl(),
      host: `${name}.lms.test`,
      tenant: name,
      admin: await system.adminCredentials(name),
      say: () => {},
    });
    tokens[name] = session.teacherToken;
  }
  const courses = (name: string) =>
    call(system.apiUrl(), 'GET', '/v1/courses', { host: `${name}.lms.test`, token: tokens[name] as string });
  const statuses: Record<string, number[]> = {};
  const note = (phase: string, status: number) => {
    statuses[phase] = [...(statuses[phase] ?? []), status];
  };

  const timeline = new ScrapeTimeline();
  const round = async (traffic: () => Promise<void>) => {
    await traffic();
    timeline.record([
      { target: API_TARGET, exposition: await scrape(system.apiOpsUrl()) },
      { target: OPERATOR_TARGET, exposition: await scrape(system.operatorUrl()) },
    ]);
  };

  // Healthy: both tenants served one request at a time.
  for (let i = 0; i < HEALTHY; i++) {
    await round(async () => {
      for (const name of ['alpha', 'beta', 'alpha', 'beta', 'alpha', 'beta'])
        note('healthy', (await courses(name)).status);
    });
  }
  const healthyEnd = timeline.rounds - 1;

  // Degraded: cluster B cut; cluster A slow and busy (more requests at once than its budget); a
  // tenant pinned to B that cannot be provisioned.
  const [linkA, linkB] = clusterLinks;
  await linkB?.disable();
  await linkA?.add({ type: 'latency', attributes: { latency: LATENCY_MS } });
  await kubectl(['apply', '-f', '-'], tenant('gamma', clusterB));
  for (let i = 0; i < DEGRADED; i++) {
    await round(async () => {
      const burst = Array.from({ length: 2 * BUDGET }, () => courses('alpha'));
      for (const name of ['beta', 'beta', 'beta']) note('degraded-beta', (await courses(name)).status);
      for (const reply of await Promise.all(burst)) note('degraded-alpha', reply.status);
    });
  }
  const degradedEnd = timeline.rounds - 1;

  // Down: no operator at all, and the API cut from the registry (tenants it does not hold fail)
  // and from Redis (it can no longer be sure of revocations).
  await system.stopOperator();
  await registryLink.disable();
  await redisLink.disable();
  for (let i = 0; i < DOWN; i++) {
    await round(async () => {
      for (let j = 0; j < 3; j++) {
        const reply = await call(system.apiUrl(), 'GET', '/v1/tenant', { host: `nobody-${i}-${j}.lms.test` });
        note('down', reply.status);
      }
    });
  }
  const downEnd = timeline.rounds - 1;

  // What the traffic met, so a failure below can be told from a scenario that went otherwise.
  t.true(
    statuses.healthy?.every((s) => s === 200),
    `healthy: ${statuses.healthy}`,
  );
  t.true(
    statuses['degraded-beta']?.every((s) => s === 503),
    `degraded, cluster B: ${statuses['degraded-beta']}`,
  );
  t.true(
    statuses['degraded-alpha']?.some((s) => s === 200),
    `degraded, cluster A: ${statuses['degraded-alpha']}`,
  );
  t.true(
    statuses.down?.every((s) => s === 503),
    `down: ${statuses.down}`,
  );

  // Only the names the rules and the dashboard use are needed; their series are all real.
  const parsedRules = (load(rules) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);
  const dashboardJson = JSON.parse(dashboard) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  const panels = dashboardJson.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target, i) => ({
      name: `${panel.title} [${i}]`,
      expr: target.expr.replaceAll('$namespace', ns).replaceAll('$__rate_interval', '5m'),
    })),
  );
  const families = (expr: string) =>
    [...expr.matchAll(/\b(atrium_[a-z_]+)/g)].map(([, name]) => {
      const base = (name as string).replace(/_(bucket|count|sum)$/, '');
      return timeline.families.has(base) ? base : (name as string);
    });
  for (const { alert, expr } of parsedRules) {
    for (const family of families(expr))
      t.true(timeline.families.has(family), `${alert}: ${family} is exposed`);
  }
  for (const { name, expr } of panels) {
    for (const family of families(expr))
      t.true(timeline.families.has(family), `${name}: ${family} is exposed`);
  }
  const input_series = timeline.inputSeries((key) => key.startsWith('atrium_'));

  const expand = (template: string, labels: Record<string, string>) =>
    template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, key: string) => labels[key] ?? '');
  const expected = (alert: string, ...firing: Array<Record<string, string>>) => {
    const rule = parsedRules.find((r) => r.alert === alert);
    if (!rule) throw new Error(`no rule ${alert}`);
    return firing.map((labels) => {
      const all = { namespace: ns, ...labels, ...rule.labels };
      return {
        exp_labels: all,
        exp_annotations: Object.fromEntries(
          Object.entries(rule.annotations).map(([key, value]) => [key, expand(value, all)]),
        ),
      };
    });
  };
  const at = (round: number, alert: string, ...firing: Array<Record<string, string>>) => ({
    eval_time: `${round}m`,
    alertname: alert,
    exp_alerts: expected(alert, ...firing),
  });
  const alert_rule_test = [
    ...parsedRules.map((rule) => at(healthyEnd, rule.alert)),
    at(degradedEnd, 'AtriumClusterBreakerOpen', { cluster: clusterB }),
    at(degradedEnd, 'AtriumClusterNearConnectionBudget', { cluster: clusterA, pod: API_TARGET.pod }),
    at(degradedEnd, 'AtriumApiErrorRateHigh', { route: '/v1/courses' }),
    at(degradedEnd, 'AtriumApiLatencyHigh', { route: '/v1/courses' }),
    at(degradedEnd, 'AtriumTenantsNotReady', {}),
    at(degradedEnd, 'AtriumOperatorReconcileErrors', { controller: 'tenant' }),
    at(degradedEnd, 'AtriumOperatorNoLeader'),
    at(degradedEnd, 'AtriumRegistryBreakerOpen'),
    at(downEnd, 'AtriumOperatorNoLeader', {}),
    at(downEnd, 'AtriumRegistryBreakerOpen', {}),
    at(downEnd, 'AtriumRevocationsOutOfSync', { pod: API_TARGET.pod }),
  ];
  t.deepEqual(
    [...new Set(alert_rule_test.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname))].sort(),
    parsedRules.map((r) => r.alert).sort(),
    'every alert is shown firing',
  );

  // Each dashboard query as an alert that fires when the query returns anything.
  const panelRules = dump({
    groups: [
      {
        name: 'dashboard',
        rules: panels.map((panel, i) => ({ alert: `Panel${i}`, expr: `count(${panel.expr}) >= 0` })),
      },
    ],
  });
  // Panels of things the scenario never does (rate limiting, forged Redis entries, evictions).
  const quiet = /Rate-limited|rejected|Evictions/;
  const panelTests = panels.map((panel, i) => ({
    eval_time: `${degradedEnd}m`,
    alertname: `Panel${i}`,
    exp_alerts: quiet.test(panel.name) ? [] : [{ exp_labels: {} }],
  }));

  const files = {
    'alerts.yaml': rules,
    'dashboard.yaml': panelRules,
    'alerts.test.yaml': dump(
      {
        rule_files: ['alerts.yaml'],
        evaluation_interval: '1m',
        tests: [{ interval: '1m', input_series, alert_rule_test }],
      },
      { lineWidth: -1 },
    ),
    'dashboard.test.yaml': dump(
      {
        rule_files: ['dashboard.yaml'],
        evaluation_interval: '1m',
        tests: [{ interval: '1m', input_series, alert_rule_test: panelTests }],
      },
      { lineWidth: -1 },
    ),
  };
  const check = await promtool(
    (dir) => ['check', 'rules', `${dir}/alerts.yaml`, `${dir}/dashboard.yaml`],
    files,
  );
  t.regex(check.stdout, /SUCCESS: 9 rules found/);
  const run = async (file: string) => {
    try {
      return (await promtool((dir) => ['test', 'rules', `${dir}/${file}`], files)).stdout;
    } catch (error) {
      const { stdout, stderr, dir } = error as { stdout?: string; stderr?: string; dir?: string };
      t.log(`${stdout ?? ''}${stderr ?? ''}`.slice(0, 20_000), `(the files: ${dir})`);
      return 'FAILED';
    }
  };
  t.regex(await run('alerts.test.yaml'), /SUCCESS/, 'promtool test rules: the alerts');
  t.regex(await run('dashboard.test.yaml'), /SUCCESS/, 'promtool test rules: the dashboard queries');
});
