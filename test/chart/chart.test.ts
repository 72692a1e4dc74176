import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { binaryPath } from '../harness/binaries.ts';
import { testServers, uniqueName } from '../harness/env.ts';

const exec = promisify(execFile);
const CHART = 'charts/atrium';
const REQUIRED = [
  '--set',
  'registry.mongoUri=mongodb://registry:27017',
  '--set',
  'redis.url=redis://redis:6379',
];
/** What a render without the cluster (helm template, lint) also needs: the keyring, by name. */
const OFFLINE = [...REQUIRED, '--set', 'encryption.existingSecret=atrium-registry-keys'];

async function helm(args: string[], input?: string, major: 'helm' | 'helm3' = 'helm') {
  const bin = await binaryPath(major);
  const env = {
    ...process.env,
    KUBECONFIG: testServers.kubeconfig(),
    HELM_CACHE_HOME: '/tmp/atrium-helm-cache',
  };
  const child = exec(bin, args, { env, maxBuffer: 32 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

async function kubectl(args: string[], input?: string) {
  const child = exec(testServers.kubectl(), ['--kubeconfig', testServers.kubeconfig(), ...args], {
    maxBuffer: 32 * 1024 * 1024,
  });
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

/** The documents of a render of one kind. */
const documentsOf = (yaml: string, kind: string) =>
  yaml.split(/^---$/m).filter((d) => new RegExp(`^kind: ${kind}$`, 'm').test(d));
const kinds = (yaml: string) => [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]).sort();

test('helm lint --strict passes with Helm 4 and Helm 3, and both render the same objects', async (t) => {
  for (const major of ['helm', 'helm3'] as const) {
    const { stdout } = await helm(['lint', '--strict', CHART, ...OFFLINE], undefined, major);
    t.regex(stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/, major);
  }
  const render = async (major: 'helm' | 'helm3') =>
    (await helm(['template', 'atrium', CHART, '--kube-version', '1.33.0', ...OFFLINE], undefined, major))
      .stdout;
  t.deepEqual(kinds(await render('helm3')), kinds(await render('helm')));
});

test('missing or wrong values fail with a message naming them', async (t) => {
  const missing = await t.throwsAsync(helm(['template', 'x', CHART]));
  t.regex(String((missing as { stderr?: string }).stderr), /registry\.mongoUri/);
  const wrong = await t.throwsAsync(helm(['template', 'x', CHART, ...OFFLINE, '--set', 'api.logLevel=loud']));
  t.regex(String((wrong as { stderr?: string }).stderr), /api\.logLevel|logLevel/);
  const typo = await t.throwsAsync(helm(['template', 'x', CHART, ...OFFLINE, '--set', 'api.replica=3']));
  t.regex(String((typo as { stderr?: string }).stderr), /replica/);
  const origin = await t.throwsAsync(
    helm([
      'template',
      'x',
      CHART,
      ...OFFLINE,
      '--set',
      'api.cors.allowedOrigins[0]=https://app.example.edu/',
    ]),
  );
  t.regex(String((origin as { stderr?: string }).stderr), /allowedOrigins/);
  const cluster = await t.throwsAsync(
    helm([
      'template',
      'x',
      CHART,
      ...OFFLINE,
      '--set',
      'mongoClusters[0].name=eu-1',
      '--set',
      'mongoClusters[0].adminUri=mongodb://a',
    ]),
  );
  t.regex(String((cluster as { stderr?: string }).stderr), /apiUri/);
  // Without the cluster no keyring is generated: one that changed on every render would make
  // every sealed registry field unreadable.
  const keyless = await t.throwsAsync(helm(['template', 'x', CHART, ...REQUIRED]));
  t.regex(
    String((keyless as { stderr?: string }).stderr),
    /encryption\.existingSecret is required when the chart is rendered without access to the cluster/,
  );
});

test('rendered defaults and non-defaults: the objects a platform team expects, hardened pods, the CRDs', async (t) => {
  const { stdout: defaults } = await helm(['template', 'r', CHART, ...OFFLINE, '--include-crds']);
  t.deepEqual(kinds(defaults), [
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'Deployment',
    'Deployment',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'Role',
    'RoleBinding',
    'Secret',
    'Service',
    'Service',
    'ServiceAccount',
    'ServiceAccount',
  ]);
  // The public Service carries the LMS only; probes and metrics use the ops port, behind a Service
  // of its own.
  const services = defaults.split(/^---$/m).filter((d) => /^kind: Service$/m.test(d));
  const publicService = services.find((d) => /name: r-atrium-api\n/.test(d)) ?? '';
  t.regex(publicService, /targetPort: http/);
  t.notRegex(publicService, /ops|9090/);
  t.regex(services.find((d) => /name: r-atrium-api-ops\n/.test(d)) ?? '', /targetPort: ops/);
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    t.regex(
      defaults,
      new RegExp(`${probe}:\\n\\s+httpGet: \\{ path: /(readyz|healthz), port: ops \\}`),
      probe,
    );
  }
  // The Lease only in the release namespace (a Role); nothing about Leases cluster-wide.
  const documents = defaults.split(/^---$/m);
  const clusterRole = documents.find((d) => /^kind: ClusterRole$/m.test(d)) ?? '';
  const role = documents.find((d) => /^kind: Role$/m.test(d)) ?? '';
  t.notRegex(clusterRole, /leases/);
  t.regex(role, /leases/);

  // Least privilege for the registry: each half its own credential when given.
  const { stdout: split } = await helm([
    'template',
    'r',
    CHART,
    '--set',
    'registry.apiMongoUri=mongodb://atrium-api@registry:27017',
    '--set',
    'registry.operatorMongoUri=mongodb://atrium-operator@registry:27017',
    '--set',
    'redis.url=rediss://redis:6380',
    '--set',
    'redis.passwordSecret.name=redis-auth',
    '--set',
    'redis.username=atrium',
    '--set',
    'encryption.existingSecret=atrium-registry-keys',
  ]);
  const envOf = (component: string) =>
    split
      .split(/^---$/m)
      .find((d) => /^kind: Deployment$/m.test(d) && d.includes(`name: r-atrium-${component}\n`)) ?? '';
  t.regex(
    envOf('api'),
    /name: REGISTRY_MONGO_URI\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: r-atrium-connections\n\s+key: registry-api-uri/,
  );
  t.regex(envOf('operator'), /key: registry-operator-uri/);
  t.notRegex(envOf('api'), /registry-operator-uri/);
  t.regex(envOf('api'), /name: REDIS_PASSWORD\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: redis-auth/);
  for (const half of ['api', 'operator']) t.regex(envOf(half), /name: REDIS_USERNAME\n\s+value: "atrium"/);
  // The deadlines and limits of docs/operations.md, and a grace period that covers drain and deadline.
  t.regex(defaults, /name: REQUEST_DEADLINE_MS, value: "10000"/);
  t.regex(defaults, /name: CORS_ALLOWED_ORIGINS, value: ""/, 'no origin allowed by default');
  t.regex(defaults, /name: MAX_IN_FLIGHT, value: "256"/);
  t.regex(defaults, /name: REQUEST_BODY_MAX_BYTES, value: "1048576"/);
  t.regex(defaults, /name: SHUTDOWN_DRAIN_DELAY_MS, value: "5000"/);
  t.regex(defaults, /terminationGracePeriodSeconds: 35\n/);
  t.is([...defaults.matchAll(/readOnlyRootFilesystem: true/g)].length, 2);
  t.is([...defaults.matchAll(/runAsNonRoot: true/g)].length, 2);
  t.regex(defaults, /drop: \[ALL\]/);
  t.regex(defaults, /path: \/readyz/);

  const { stdout: custom } = await helm([
    'template',
    'r',
    CHART,
    ...REQUIRED,
    '--set',
    'api.autoscaling.enabled=false',
    '--set',
    'api.replicas=3',
    '--set',
    'api.cors.allowedOrigins={https://app.example.edu,http://localhost:5173}',
    '--set',
    'networkPolicy.enabled=true',
    '--set',
    'serviceMonitor.enabled=true',
    '--set',
    'encryption.existingSecret=my-keys',
    '--set',
    'mongoClusters[0].name=eu-1',
    '--set',
    'mongoClusters[0].adminUri=mongodb://admin:pw@eu-1:27017',
    '--set',
    'mongoClusters[0].apiUri=mongodb://api:pw@eu-1:27017',
    '--set',
    'mongoClusters[0].capacity=500',
  ]);
  t.true(kinds(custom).includes('NetworkPolicy'));
  t.true(kinds(custom).includes('ServiceMonitor'));
  t.regex(custom, /atrium\.dev\/endpoint: ops\n\s+endpoints:\n\s+- port: ops/);
  // The operator has no Service: its replicas are scraped as pods (a follower reports leader 0).
  t.regex(
    documentsOf(custom, 'PodMonitor')[0] ?? '',
    /app\.kubernetes\.io\/name: atrium-operator\n\s+podMetricsEndpoints:\n\s+- port: http\n\s+path: \/metrics/,
  );
  t.true(kinds(custom).includes('MongoCluster'));
  t.false(kinds(custom).includes('ConfigMap'), 'no dashboard unless asked for');
  t.false(kinds(custom).includes('HorizontalPodAutoscaler'));
  t.regex(custom, /replicas: 3/);
  t.regex(custom, /name: CORS_ALLOWED_ORIGINS, value: "https:\/\/app\.example\.edu,http:\/\/localhost:5173"/);
  t.regex(custom, /secretName: my-keys/);
  t.notRegex(custom, /name: r-atrium-registry-keys/, 'no keyring generated when one is given');
});

test('the Grafana dashboard: a ConfigMap the sidecar picks up, with the dashboard JSON', async (t) => {
  const { stdout } = await helm([
    'template',
    'r',
    CHART,
    ...OFFLINE,
    '--set',
    'grafanaDashboard.enabled=true',
    '--set',
    'grafanaDashboard.annotations.grafana_folder=Atrium',
  ]);
  const [configMap = ''] = documentsOf(stdout, 'ConfigMap');
  t.regex(configMap, /name: r-atrium-dashboard\n/);
  t.regex(configMap, /grafana_dashboard: "1"/);
  t.regex(configMap, /grafana_folder: Atrium/);
  const json = /atrium\.json: \|-\n([\s\S]*)$/.exec(configMap)?.[1] ?? '';
  const dashboard = JSON.parse(json.replace(/^ {4}/gm, '')) as {
    uid: string;
    panels: Array<{ type: string; targets?: Array<{ expr: string }> }>;
  };
  t.is(dashboard.uid, 'atrium-overview');
  const queries = dashboard.panels.flatMap((p) => p.targets ?? []);
  t.true(queries.length > 20);
  // Every query is scoped to the namespace the viewer picks (the queries' results are checked
  // against real scrapes in alerts.test.ts).
  for (const { expr } of queries) t.regex(expr, /namespace="\$namespace"/);
});

test('Ingress and HTTPRoute: the wildcard tenant host to the public Service only, TLS from a Secret or cert-manager, one trusted hop', async (t) => {
  const DOMAIN = ['--set', 'api.baseDomain=lms.example.com'];
  const render = async (...args: string[]) =>
    (await helm(['template', 'r', CHART, ...OFFLINE, ...DOMAIN, ...args])).stdout;
  const hopsOf = (yaml: string) => /name: TRUST_PROXY_HOPS, value: "(\d+)"/.exec(yaml)?.[1];

  const none = await render();
  t.deepEqual(documentsOf(none, 'Ingress'), [], 'no Ingress by default');
  t.deepEqual(documentsOf(none, 'HTTPRoute'), []);
  t.is(hopsOf(none), '0', 'no proxy trusted without one');

  // TLS from an existing Secret.
  const withSecret = await render(
    '--set',
    'ingress.enabled=true',
    '--set',
    'ingress.className=nginx',
    '--set',
    'ingress.tls.secretName=lms-wildcard',
  );
  const [ingress = ''] = documentsOf(withSecret, 'Ingress');
  t.regex(ingress, /ingressClassName: nginx/);
  t.regex(
    ingress,
    /tls:\n\s+- hosts:\n\s+- '\*\.lms\.example\.com'\n\s+- lms\.example\.com\n\s+secretName: lms-wildcard/,
  );
  t.deepEqual(
    [...ingress.matchAll(/- host: "([^"]+)"/g)].map((m) => m[1]),
    ['*.lms.example.com', 'lms.example.com'],
  );
  // Every path goes to the public Service's http port; nothing reaches the ops Service or 9090.
  t.deepEqual(
    [...ingress.matchAll(/service:\n\s+name: (\S+)\n\s+port: \{ name: (\w+) \}/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    ),
    ['r-atrium-api:http', 'r-atrium-api:http'],
  );
  t.notRegex(ingress, /-ops|9090|cert-manager/);
  t.is(hopsOf(withSecret), '1', 'the ingress hop is trusted, and only it');

  // cert-manager: the annotation, and the certificate in a Secret of the release's name.
  const issued = await render(
    '--set',
    'ingress.enabled=true',
    '--set',
    'ingress.bareHost=false',
    '--set',
    'ingress.tls.certManager.clusterIssuer=letsencrypt-dns',
    '--set',
    'ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-body-size=2m',
  );
  const [issuedIngress = ''] = documentsOf(issued, 'Ingress');
  t.regex(issuedIngress, /cert-manager\.io\/cluster-issuer: "letsencrypt-dns"/);
  t.regex(issuedIngress, /nginx\.ingress\.kubernetes\.io\/proxy-body-size: 2m/);
  t.regex(issuedIngress, /secretName: r-atrium-tls/);
  t.deepEqual(
    [...issuedIngress.matchAll(/- host: "([^"]+)"/g)].map((m) => m[1]),
    ['*.lms.example.com'],
  );
  const byIssuer = await render(
    '--set',
    'ingress.enabled=true',
    '--set',
    'ingress.tls.certManager.issuer=ca',
  );
  t.regex(documentsOf(byIssuer, 'Ingress')[0] ?? '', /cert-manager\.io\/issuer: "ca"/);
  // Neither: plain HTTP (TLS ends in front of the Ingress).
  t.notRegex(documentsOf(await render('--set', 'ingress.enabled=true'), 'Ingress')[0] ?? '', /tls:/);

  // A number given is kept, 0 included (a proxy that does not append to X-Forwarded-For).
  t.is(hopsOf(await render('--set', 'ingress.enabled=true', '--set', 'api.trustProxyHops=2')), '2');
  t.is(hopsOf(await render('--set', 'ingress.enabled=true', '--set', 'api.trustProxyHops=0')), '0');

  // Gateway API.
  const routed = await render(
    '--set',
    'httpRoute.enabled=true',
    '--set',
    'httpRoute.parentRefs[0].name=public',
    '--set',
    'httpRoute.parentRefs[0].namespace=gateways',
    '--set',
    'httpRoute.parentRefs[0].sectionName=https',
  );
  const [route = ''] = documentsOf(routed, 'HTTPRoute');
  t.regex(route, /apiVersion: gateway\.networking\.k8s\.io\/v1/);
  t.regex(route, /parentRefs:\n\s+- name: public\n\s+namespace: gateways\n\s+sectionName: https/);
  t.regex(route, /hostnames:\n\s+- "\*\.lms\.example\.com"\n\s+- "lms\.example\.com"/);
  t.regex(route, /backendRefs:\n\s+- name: r-atrium-api\n\s+port: 80\n/);
  t.notRegex(route, /-ops|9090/);
  t.is(hopsOf(routed), '1');

  // Refused with a message naming what is missing.
  const failure = async (...args: string[]) =>
    String(
      ((await t.throwsAsync(helm(['template', 'r', CHART, ...OFFLINE, ...args]))) as { stderr?: string })
        .stderr,
    );
  t.regex(await failure('--set', 'ingress.enabled=true'), /ingress\.enabled needs api\.baseDomain/);
  t.regex(await failure(...DOMAIN, '--set', 'httpRoute.enabled=true'), /httpRoute\.parentRefs is required/);
  t.regex(
    await failure(
      ...DOMAIN,
      '--set',
      'ingress.enabled=true',
      '--set',
      'ingress.tls.certManager.issuer=a',
      '--set',
      'ingress.tls.certManager.clusterIssuer=b',
    ),
    /an issuer or a clusterIssuer, not both/,
  );
});

test('server-side dry-run, then helm install and upgrade against the real kube-apiserver', async (t) => {
  const namespace = uniqueName('chart').replace('_', '-');
  const release = namespace;
  const cluster = `${namespace}-c1`;
  await kubectl(['create', 'namespace', namespace]);
  t.teardown(async () => {
    await helm(['uninstall', release, '--namespace', namespace]).catch(() => undefined);
    await kubectl(['delete', 'namespace', namespace, '--wait=false']).catch(() => undefined);
  });
  // CRDs first (helm installs them from crds/ too, but the dry-run needs them served), and the
  // HTTPRoute's (this test's own subset of the Gateway API's: no Gateway controller here).
  await kubectl([
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    'crds/',
    '-f',
    'test/chart/httproute-crd.yaml',
  ]);
  await kubectl([
    'wait',
    '--for=condition=Established',
    'crd/tenants.atrium.dev',
    'crd/mongoclusters.atrium.dev',
    'crd/httproutes.gateway.networking.k8s.io',
  ]);

  const values = [
    ...REQUIRED,
    '--set',
    'networkPolicy.enabled=true',
    '--set',
    `mongoClusters[0].name=${cluster}`,
    '--set',
    'mongoClusters[0].adminUri=mongodb://admin:pw@eu-1:27017',
    '--set',
    'mongoClusters[0].apiUri=mongodb://api:pw@eu-1:27017',
    '--set',
    'api.baseDomain=lms.example.com',
    '--set',
    'ingress.enabled=true',
    '--set',
    'ingress.tls.certManager.clusterIssuer=letsencrypt-dns',
    '--set',
    'httpRoute.enabled=true',
    '--set',
    'httpRoute.parentRefs[0].name=public',
    '--set',
    'httpRoute.parentRefs[0].sectionName=https',
    '--set',
    'grafanaDashboard.enabled=true',
  ];
  // Rendered offline, the keyring is named; the install below (online) generates its own.
  const { stdout: rendered } = await helm([
    'template',
    release,
    CHART,
    '--namespace',
    namespace,
    ...values,
    '--set',
    `encryption.existingSecret=${release}-atrium-registry-keys`,
  ]);
  const { stdout: dryRun } = await kubectl(
    ['apply', '--server-side', '--dry-run=server', '--namespace', namespace, '-f', '-'],
    rendered,
  );
  t.regex(dryRun, /deployment\.apps\/\S+-api serverside-applied \(server dry run\)/);
  t.regex(dryRun, /mongocluster\.atrium\.dev\/\S+ serverside-applied \(server dry run\)/);
  t.regex(dryRun, /configmap\/\S+-atrium-dashboard serverside-applied \(server dry run\)/);
  t.regex(dryRun, /ingress\.networking\.k8s\.io\/\S+-api serverside-applied \(server dry run\)/);
  t.regex(dryRun, /httproute\.gateway\.networking\.k8s\.io\/\S+-api serverside-applied \(server dry run\)/);
  // The HTTPRoute schema above is a check, not a blank: a field out of place is refused.
  const [route = ''] = documentsOf(rendered, 'HTTPRoute');
  const misplaced = await t.throwsAsync(
    kubectl(
      ['apply', '--server-side', '--dry-run=server', '--namespace', namespace, '-f', '-'],
      route.replace(/port: (\d+)/, 'servicePort: $1'),
    ),
  );
  t.regex(String((misplaced as { stderr?: string }).stderr), /servicePort/);

  await helm(['install', release, CHART, '--namespace', namespace, ...values]);
  const keyOf = async () =>
    JSON.parse(
      (await kubectl(['get', 'secret', `${release}-atrium-registry-keys`, '-n', namespace, '-o', 'json']))
        .stdout,
    ).data.k1 as string;
  const firstKey = await keyOf();
  t.is(Buffer.from(Buffer.from(firstKey, 'base64').toString(), 'base64').length, 32, 'a 32-byte key');

  await helm([
    'upgrade',
    release,
    CHART,
    '--namespace',
    namespace,
    ...values,
    '--set',
    'api.replicas=4',
    '--set',
    'api.autoscaling.enabled=false',
  ]);
  t.is(await keyOf(), firstKey, 'the keyring survives an upgrade');
  const { stdout: deployments } = await kubectl(['get', 'deploy', '-n', namespace, '-o', 'json']);
  const byName = Object.fromEntries(
    (JSON.parse(deployments).items as Array<{ metadata: { name: string }; spec: { replicas: number } }>).map(
      (d) => [d.metadata.name, d.spec.replicas],
    ),
  );
  t.is(byName[`${release}-atrium-api`], 4);
  t.is(byName[`${release}-atrium-operator`], 2);
  const { stdout: mc } = await kubectl(['get', 'mongocluster', cluster, '-o', 'json']);
  t.is(JSON.parse(mc).spec.connectionSecretRef.namespace, namespace);
  await kubectl(['delete', 'mongocluster', cluster]);
});
