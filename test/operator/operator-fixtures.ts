import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { Keyring, RegistryCipher, TenantRegistry } from '../../contract/src/registry/index.ts';
import { Operator, type OperatorOptions } from '../../operator/src/controller.ts';
import { API_VERSION, GROUP, VERSION } from '../../operator/src/resources/tenant.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { adminKubeConfig, installCrds, readYaml } from './kube-fixtures.ts';

const run = promisify(execFile);

type Teardown = { teardown: (fn: () => Promise<void> | void) => void };

/** Captures every log line, so tests can assert that no secret was ever logged. */
export function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace' },
    {
      write(line: string) {
        lines.push(line);
        if (process.env.ATRIUM_TEST_OPERATOR_LOGS) process.stderr.write(line);
      },
    },
  );
  return { logger, lines };
}

/**
 * A kubeconfig for a fresh ServiceAccount bound to exactly operator/rbac/clusterrole.yaml and, in
 * `namespace` (its own, as the release namespace is in the chart), operator/rbac/role.yaml, with
 * a token from the TokenRequest API: the operator under test has the chart's permissions, no more.
 */
export async function operatorKubeConfig(
  namespace: string,
  admin = adminKubeConfig(),
): Promise<k8s.KubeConfig> {
  const objects = k8s.KubernetesObjectApi.makeApiClient(admin);
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const role = k8s.loadYaml<k8s.V1ClusterRole & { metadata: { name: string } }>(
    JSON.stringify(readYaml('operator/rbac/clusterrole.yaml')),
  );
  await objects.patch(role, undefined, undefined, 'atrium-tests', true, k8s.PatchStrategy.ServerSideApply);
  const account = 'atrium-operator';
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: account } } });
  const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: `atrium-operator-${namespace}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    },
  });
  const namespaced = k8s.loadYaml<k8s.V1Role & { metadata: { name: string } }>(
    JSON.stringify(readYaml('operator/rbac/role.yaml')),
  );
  await rbac.createNamespacedRole({
    namespace,
    body: { ...namespaced, metadata: { ...namespaced.metadata, namespace } },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'atrium-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: namespaced.metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    },
  });
  const token = await core.createNamespacedServiceAccountToken({
    name: account,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = admin.getCurrentCluster();
  if (!cluster || !token.status?.token) throw new Error('no cluster or token');
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: account, token: token.status.token }],
    contexts: [{ name: 'operator', cluster: cluster.name, user: account }],
    currentContext: 'operator',
  });
  return kc;
}

export interface OperatorEnv {
  readonly namespace: string;
  readonly admin: k8s.KubeConfig;
  readonly custom: k8s.CustomObjectsApi;
  readonly core: k8s.CoreV1Api;
  readonly operatorKubeConfig: k8s.KubeConfig;
  readonly registry: TenantRegistry;
  readonly registryDb: import('mongodb').Db;
  /** The registry keyring in ATRIUM_REGISTRY_KEYS form (a test secret, never a real one). */
  readonly registryKeys: string;
  readonly mongo: MongoClient;
  readonly redis: Redis;
  readonly clusterLabel: string;
  readonly logLines: string[];
  readonly logger: pino.Logger;
  /** Starts an operator (as the ServiceAccount) scoped to this env; stopped at teardown. */
  startOperator(overrides?: Partial<OperatorOptions>): Promise<Operator>;
  /** Creates a MongoCluster for test server `index` with its admin Secret. */
  createMongoCluster(name: string, index?: number, spec?: Record<string, unknown>): Promise<void>;
  createTenant(name: string, spec: Record<string, unknown>): Promise<void>;
  getTenant(name: string): Promise<TenantObject>;
  /** A JSON merge patch of a Tenant, as `kubectl patch --type merge` sends it (null removes). */
  patchTenant(
    name: string,
    body: { spec?: Record<string, unknown>; metadata?: Record<string, unknown> },
  ): Promise<void>;
  waitForTenant(
    name: string,
    predicate: (t: TenantObject) => boolean,
    timeoutMs?: number,
  ): Promise<TenantObject>;
  kubectl(...args: string[]): Promise<string>;
  /** A name unique to this env, for Tenants (their ids name databases on the shared servers). */
  name(suffix: string): string;
}

export interface TenantObject {
  metadata: { name: string; resourceVersion: string; generation: number; finalizers?: string[]; uid: string };
  spec: Record<string, unknown>;
  status?: {
    phase?: string;
    cluster?: string;
    database?: string;
    secretName?: string;
    adminSecretName?: string;
    observedGeneration?: number;
    conditions?: Array<{
      type: string;
      status: string;
      reason: string;
      message: string;
      observedGeneration?: number;
    }>;
  };
}

export function condition(tenant: TenantObject, type: string) {
  return tenant.status?.conditions?.find((c) => c.type === type);
}

export function isReady(tenant: TenantObject): boolean {
  return (
    condition(tenant, 'Ready')?.status === 'True' &&
    tenant.status?.observedGeneration === tenant.metadata.generation
  );
}

export async function operatorEnv(t: Teardown): Promise<OperatorEnv> {
  const admin = adminKubeConfig();
  await installCrds(admin);
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const custom = admin.makeApiClient(k8s.CustomObjectsApi);
  const namespace = uniqueName('op').replace('_', '-');
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const operatorKc = await operatorKubeConfig(namespace, admin);

  const mongo = new MongoClient(testServers.mongoUris()[0] ?? '');
  const registryDb = mongo.db(uniqueName('system'));
  const registryKeys = `2026-01=${randomBytes(32).toString('base64')}`;
  const keyring = Keyring.parse(registryKeys);
  const registry = new TenantRegistry({ db: registryDb, cipher: new RegistryCipher(keyring) });
  await registry.ensureIndexes();
  const redis = new Redis(testServers.redisUrl());
  const clusterLabel = namespace;
  const { logger, lines } = capturingLogger();
  const operators: Operator[] = [];
  const clusterNames: string[] = [];
  const adminClients: MongoClient[] = [];

  t.teardown(async () => {
    await Promise.all(operators.map((o) => o.stop()));
    // Drop tenant databases created on the test servers.
    for (const uri of testServers.mongoUris()) {
      const client = new MongoClient(uri);
      adminClients.push(client);
      const { databases } = await client.db('admin').admin().listDatabases();
      for (const db of databases) {
        if (db.name.startsWith(`tenant_${namespace.replace(/-/g, '_')}`))
          await client.db(db.name).dropDatabase();
      }
    }
    await Promise.all(adminClients.map((c) => c.close()));
    for (const name of clusterNames) {
      await custom
        .deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'mongoclusters', name })
        .catch(() => undefined);
    }
    // Tenants keep their namespace alive until their finalizer goes: drop finalizers first.
    const list = (await custom.listNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace,
      plural: 'tenants',
    })) as {
      items: TenantObject[];
    };
    for (const item of list.items) {
      await custom
        .patchNamespacedCustomObject(
          {
            group: GROUP,
            version: VERSION,
            namespace,
            plural: 'tenants',
            name: item.metadata.name,
            body: { metadata: { finalizers: null } },
          },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        )
        .catch(() => undefined);
    }
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await admin
      .makeApiClient(k8s.RbacAuthorizationV1Api)
      .deleteClusterRoleBinding({ name: `atrium-operator-${namespace}` })
      .catch(() => undefined);
    await registryDb.dropDatabase();
    await mongo.close();
    redis.disconnect();
  });

  const env: OperatorEnv = {
    namespace,
    admin,
    custom,
    core,
    operatorKubeConfig: operatorKc,
    registry,
    registryDb,
    registryKeys,
    mongo,
    redis,
    clusterLabel,
    logLines: lines,
    logger,
    async startOperator(overrides = {}) {
      const operator = new Operator({
        kubeConfig: operatorKc,
        registry,
        redis,
        logger,
        watchNamespace: namespace,
        mongoClusterSelector: `atrium.dev/test=${clusterLabel}`,
        backoff: { baseMs: 100, maxMs: 2_000 },
        waitRequeueMs: 1_000,
        ...overrides,
      });
      operators.push(operator);
      await operator.start();
      return operator;
    },
    async createMongoCluster(name, index = 0, spec = {}) {
      const uri = testServers.mongoUris()[index] ?? '';
      await core.createNamespacedSecret({
        namespace,
        body: { metadata: { name: `${name}-admin` }, stringData: { uri } },
      });
      clusterNames.push(name);
      await custom.createClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'mongoclusters',
        body: {
          apiVersion: API_VERSION,
          kind: 'MongoCluster',
          metadata: { name, labels: { 'atrium.dev/test': clusterLabel } },
          spec: { connectionSecretRef: { name: `${name}-admin`, namespace }, ...spec },
        },
      });
    },
    async createTenant(name, spec) {
      await custom.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: 'tenants',
        body: { apiVersion: API_VERSION, kind: 'Tenant', metadata: { name }, spec },
      });
    },
    async patchTenant(name, body) {
      await custom.patchNamespacedCustomObject(
        { group: GROUP, version: VERSION, namespace, plural: 'tenants', name, body },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    },
    async getTenant(name) {
      return (await custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: 'tenants',
        name,
      })) as TenantObject;
    },
    async waitForTenant(name, predicate, timeoutMs = 60_000) {
      const tenant = await eventually(
        `tenant ${name} in the expected state`,
        // Without managedFields, a timeout shows what a reader needs: metadata, spec and status.
        () => env.getTenant(name).then(withoutManagedFields, () => undefined),
        (tenant) => tenant !== undefined && predicate(tenant),
        { timeoutMs, intervalMs: 100 },
      );
      // eventually() returns only a value `done` accepted: a tenant.
      return tenant as TenantObject;
    },
    name: (suffix) => `${namespace}-${suffix}`,
    async kubectl(...args) {
      const { stdout } = await run(
        testServers.kubectl(),
        ['--kubeconfig', testServers.kubeconfig(), ...args],
        {
          timeout: 60_000,
        },
      );
      return stdout;
    },
  };
  return env;
}

function withoutManagedFields(tenant: TenantObject): TenantObject {
  const { managedFields: _, ...metadata } = tenant.metadata as TenantObject['metadata'] & {
    managedFields?: unknown;
  };
  return { ...tenant, metadata };
}

/** A cluster-unique name for a MongoCluster (they are cluster-scoped). */
export function clusterName(env: OperatorEnv, suffix: string): string {
  return `${env.namespace}-${suffix}`;
}

/**
 * An operator that stops for good right after `step` of the Tenant `name`, as if it had died
 * there (nothing after the step is ever written): pass `afterStep` to `startOperator`; `reached`
 * settles once it has stopped there; `kill` ends the frozen pass (it fails) when the test is done.
 */
export function freezeAfter(step: string, name: string) {
  let frozen!: () => void;
  const reached = new Promise<void>((resolve) => {
    frozen = resolve;
  });
  let kill!: (error: Error) => void;
  const dead = new Promise<never>((_, reject) => {
    kill = reject;
  });
  dead.catch(() => undefined);
  const afterStep = async (done: string, tenant: { metadata: { name: string } }) => {
    if (done === step && tenant.metadata.name === name) {
      frozen();
      await dead;
    }
  };
  return { afterStep, reached, kill };
}
