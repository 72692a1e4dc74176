import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binaryPath } from '../../test/harness/binaries.ts';
import { freePort, type ManagedProcess, RunDirectory, waitUntilReady } from '../../test/harness/processes.ts';
import { type Stack, type StackAddresses, startStack } from '../../test/harness/stack.ts';

const exec = promisify(execFile);

export interface SystemOptions {
  /** Namespace of the operator and of the tenants. */
  namespace: string;
  /** Helm release name: prefixes the RBAC objects. */
  release: string;
  /** MongoCluster names get this prefix; the operator manages only the ones labelled for this system. */
  clusterPrefix: string;
  baseDomain: string;
  apiPort?: number;
  log: (line: string) => void;
  /** Running servers to use (the test runner's) instead of a stack of its own; left running on close. */
  servers?: StackAddresses;
  /**
   * Each MongoDB cluster's address as its MongoCluster and the API's pools see it (default: the
   * servers' own), e.g. through a Toxiproxy link a test cuts. The registry is read directly.
   */
  clusterUris?: string[];
  /** The registry URI of the API alone (default: the first cluster's), e.g. through a link. */
  apiRegistryUri?: string;
  /** The Redis URL of the API alone (default: the stack's), e.g. through a link. */
  apiRedisUrl?: string;
  /** More environment for the API process (pool budget, timeouts). */
  apiEnv?: Record<string, string>;
}

export interface RunningSystem {
  readonly stack: Stack;
  readonly options: SystemOptions;
  readonly clusters: string[];
  apiUrl(): string;
  /** The API's ops port: /healthz, /readyz, /metrics. */
  apiOpsUrl(): string;
  /** The operator's /healthz, /readyz, /metrics. */
  operatorUrl(): string;
  kubectl(args: string[], input?: string): Promise<string>;
  startOperator(): Promise<void>;
  stopOperator(): Promise<void>;
  startApi(): Promise<void>;
  stopApi(): Promise<void>;
  /** The seeded admin of a Tenant, from the Secret its status names. */
  adminCredentials(tenant: string): Promise<{ email: string; password: string }>;
  close(): Promise<void>;
}

/**
 * The whole system on this machine: real servers (two MongoDB-protocol clusters, Redis,
 * kube-apiserver), the CRDs and the operator's RBAC from the Helm chart, MongoCluster resources,
 * the operator running under its ServiceAccount token and the API, both as processes. Used by the
 * local stack (scripts/local-stack.ts) and the end-to-end test.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const { log, namespace, release } = options;
  const stack: Stack = options.servers
    ? { ...options.servers, run: new RunDirectory(), close: async () => stack.run.close() }
    : await startStack({ mongoClusters: 2, kube: true, log });
  if (!stack.kubeconfig || !stack.kubectl) throw new Error('the stack has no Kubernetes API');
  const adminKubeconfig = stack.kubeconfig;
  const kubectlBin = stack.kubectl;
  const kubectl = async (args: string[], input?: string) => {
    const child = exec(kubectlBin, ['--kubeconfig', adminKubeconfig, ...args], {
      maxBuffer: 32 * 1024 * 1024,
    });
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout;
  };

  try {
    log('applying the CRDs');
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', 'crds/']);
    await kubectl([
      'wait',
      '--for=condition=Established',
      'crd/tenants.atrium.dev',
      'crd/mongoclusters.atrium.dev',
    ]);
    await kubectl(['create', 'namespace', namespace]).catch(() => undefined);

    log("installing the operator's ServiceAccount, ClusterRole and Role from the Helm chart");
    const helm = await binaryPath('helm');
    const { stdout: rendered } = await exec(helm, [
      'template',
      release,
      'charts/atrium',
      '--namespace',
      namespace,
      '--set',
      'registry.mongoUri=mongodb://unused',
      '--set',
      'redis.url=redis://unused',
      '--set',
      'encryption.existingSecret=unused',
      '--show-only',
      'templates/operator.yaml',
    ]);
    const rbac = rendered
      .split(/^---$/m)
      .filter((doc) => /^kind: (ServiceAccount|ClusterRole|ClusterRoleBinding|Role|RoleBinding)$/m.test(doc))
      .join('\n---\n');
    await kubectl(['apply', '--server-side', '--namespace', namespace, '-f', '-'], rbac);
    const serviceAccount = /kind: ServiceAccount\nmetadata:\n {2}name: (\S+)/.exec(rbac)?.[1];
    if (!serviceAccount) throw new Error('the chart rendered no operator ServiceAccount');
    const token = (
      await kubectl(['create', 'token', serviceAccount, '--namespace', namespace, '--duration=24h'])
    ).trim();
    const view = JSON.parse(await kubectl(['config', 'view', '--raw', '--minify', '-o', 'json'])) as {
      clusters: Array<{ cluster: Record<string, string> }>;
    };
    const clusterEntry = view.clusters[0]?.cluster ?? {};
    const operatorKubeconfig = join(stack.run.dir('system'), 'operator.kubeconfig');
    writeFileSync(
      operatorKubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'local', cluster: clusterEntry }],
        users: [{ name: serviceAccount, user: { token } }],
        contexts: [{ name: 'local', context: { cluster: 'local', user: serviceAccount, namespace } }],
        'current-context': 'local',
      }),
    );

    log('creating the MongoCluster resources');
    const label = `atrium.dev/system=${options.clusterPrefix}`;
    const clusters = stack.mongoUris.map((_, i) => `${options.clusterPrefix}-${String.fromCharCode(97 + i)}`);
    const clusterUris = options.clusterUris ?? stack.mongoUris;
    for (const [i, uri] of clusterUris.entries()) {
      const name = clusters[i] as string;
      await kubectl(
        ['apply', '--server-side', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${name}-admin`, namespace },
          stringData: { uri },
        }),
      );
      await kubectl(
        ['apply', '--server-side', '-f', '-'],
        JSON.stringify({
          apiVersion: 'atrium.dev/v1alpha1',
          kind: 'MongoCluster',
          metadata: { name, labels: { 'atrium.dev/system': options.clusterPrefix } },
          spec: {
            connectionSecretRef: { name: `${name}-admin`, namespace, key: 'uri' },
            region: `local-${i}`,
            labels: { zone: `local-${i}` },
          },
        }),
      );
    }

    const keys = `k1=${randomBytes(32).toString('base64')}`;
    const registryDatabase = `atrium_system_${options.clusterPrefix.replace(/-/g, '_')}`;
    const shared = {
      PATH: process.env.PATH ?? '',
      REGISTRY_MONGO_URI: stack.mongoUris[0] ?? '',
      REGISTRY_DATABASE: registryDatabase,
      REDIS_URL: stack.redisUrl,
      ATRIUM_REGISTRY_KEYS: keys,
      LOG_LEVEL: 'info',
    };
    const apiPort = options.apiPort ?? (await freePort());
    const apiOpsPort = await freePort();
    const operatorPort = await freePort();
    let operator: ManagedProcess | undefined;
    let api: ManagedProcess | undefined;

    const system: RunningSystem = {
      stack,
      options,
      clusters,
      apiUrl: () => `http://127.0.0.1:${apiPort}`,
      apiOpsUrl: () => `http://127.0.0.1:${apiOpsPort}`,
      operatorUrl: () => `http://127.0.0.1:${operatorPort}`,
      kubectl,
      async startOperator() {
        operator = stack.run.spawn('operator', process.execPath, ['--import=tsx', 'operator/src/main.ts'], {
          ...shared,
          KUBECONFIG: operatorKubeconfig,
          POD_NAMESPACE: namespace,
          POD_NAME: `operator-${randomBytes(3).toString('hex')}`,
          WATCH_NAMESPACE: namespace,
          MONGOCLUSTER_SELECTOR: label,
          HTTP_PORT: String(operatorPort),
          HTTP_HOST: '127.0.0.1',
          LEASE_DURATION_MS: '4000',
          LEASE_RENEW_DEADLINE_MS: '3000',
          LEASE_RETRY_MS: '500',
          // A local stack has no traffic to wait for; long enough to watch a move answer 503.
          MOVE_DRAIN_MS: '3000',
        });
        const proc = operator;
        await waitUntilReady(
          proc,
          async () => (await fetch(`http://127.0.0.1:${operatorPort}/healthz`)).ok,
          30_000,
        );
        log(`operator running (pid ${proc.pid}, logs ${proc.logFile})`);
      },
      async stopOperator() {
        await operator?.stop();
        operator = undefined;
      },
      async startApi() {
        api = stack.run.spawn('api', process.execPath, ['--import=tsx', 'api/src/main.ts'], {
          ...shared,
          REGISTRY_MONGO_URI: options.apiRegistryUri ?? shared.REGISTRY_MONGO_URI,
          REDIS_URL: options.apiRedisUrl ?? shared.REDIS_URL,
          PORT: String(apiPort),
          HOST: '127.0.0.1',
          OPS_PORT: String(apiOpsPort),
          OPS_HOST: '127.0.0.1',
          BASE_DOMAIN: options.baseDomain,
          CLUSTER_URIS: JSON.stringify(Object.fromEntries(clusters.map((name, i) => [name, clusterUris[i]]))),
          TENANT_CACHE_TTL_MS: '5000',
          ...options.apiEnv,
        });
        const proc = api;
        await waitUntilReady(
          proc,
          async () => (await fetch(`http://127.0.0.1:${apiOpsPort}/readyz`)).ok,
          30_000,
        );
        log(`API serving at http://127.0.0.1:${apiPort} (pid ${proc.pid}, logs ${proc.logFile})`);
      },
      async stopApi() {
        await api?.stop();
        api = undefined;
      },
      async adminCredentials(tenant) {
        const status = JSON.parse(
          await kubectl(['get', 'tenant', tenant, '-n', namespace, '-o', 'json']),
        ) as {
          status?: { adminSecretName?: string };
        };
        const name = status.status?.adminSecretName;
        if (!name) throw new Error(`tenant ${tenant} names no admin Secret yet`);
        const secret = JSON.parse(await kubectl(['get', 'secret', name, '-n', namespace, '-o', 'json'])) as {
          data: Record<string, string>;
        };
        const decode = (key: string) => Buffer.from(secret.data[key] ?? '', 'base64').toString('utf8');
        return { email: decode('email'), password: decode('password') };
      },
      async close() {
        await system.stopApi();
        await system.stopOperator();
        await stack.close();
      },
    };
    await system.startOperator();
    await system.startApi();
    return system;
  } catch (error) {
    await stack.close();
    throw error;
  }
}
