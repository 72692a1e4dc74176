import * as k8s from '@kubernetes/client-node';
import { MongoClient } from 'mongodb';
import { GROUP, VERSION } from '../../operator/src/resources/tenant.ts';
import { eventually } from '../harness/eventually.ts';
import {
  condition,
  type OperatorEnv,
  operatorEnv,
  type TenantObject,
} from '../operator/operator-fixtures.ts';

type Teardown = { teardown: (fn: () => Promise<void> | void) => void };

/**
 * A namespace user: a ServiceAccount that may do anything with Tenants (and their status) and
 * Secrets in its own namespace, and nothing else — what a platform team grants a school's team.
 */
export interface NamespaceUser {
  readonly namespace: string;
  readonly custom: k8s.CustomObjectsApi;
  readonly core: k8s.CoreV1Api;
  createTenant(name: string, spec: Record<string, unknown>): Promise<void>;
  patchTenantStatus(name: string, status: Record<string, unknown>): Promise<void>;
  getTenant(name: string): Promise<TenantObject>;
  deleteTenant(name: string): Promise<void>;
}

export interface SecurityEnv extends OperatorEnv {
  /** The label every Tenant of this test carries; the operator under test watches only those. */
  readonly tenantLabel: Record<string, string>;
  /** A namespace user in `namespace` (created if missing). */
  namespaceUser(namespace: string): Promise<NamespaceUser>;
  /** A second namespace, with its user. */
  otherNamespace(suffix: string, labels?: Record<string, string>): Promise<NamespaceUser>;
}

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/**
 * An operator env (test/operator) whose operator watches every namespace — only Tenants labelled
 * for this test — so Tenants in several namespaces meet, as they do in a real cluster.
 */
export async function securityEnv(t: Teardown): Promise<SecurityEnv> {
  const env = await operatorEnv(t);
  const tenantLabel = { 'atrium.dev/test': env.clusterLabel };
  const rbac = env.admin.makeApiClient(k8s.RbacAuthorizationV1Api);
  const users = new Map<string, NamespaceUser>();
  const created: string[] = [];

  t.teardown(async () => {
    for (const namespace of created) {
      const list = (await env.custom
        .listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'tenants' })
        .catch(() => ({ items: [] }))) as { items: TenantObject[] };
      for (const item of list.items) {
        await env.custom
          .patchNamespacedCustomObject(
            {
              group: GROUP,
              version: VERSION,
              namespace,
              plural: 'tenants',
              name: item.metadata.name,
              body: { metadata: { finalizers: null } },
            },
            merge,
          )
          .catch(() => undefined);
      }
      await env.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  });

  async function namespaceUser(namespace: string): Promise<NamespaceUser> {
    const known = users.get(namespace);
    if (known) return known;
    const account = 'school-admin';
    await env.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: account } } });
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'tenant-editor' },
        rules: [
          {
            apiGroups: ['atrium.dev'],
            resources: ['tenants', 'tenants/status'],
            verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
          },
          {
            apiGroups: [''],
            resources: ['secrets'],
            verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'tenant-editor' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-editor' },
        subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
      },
    });
    const token = await env.core.createNamespacedServiceAccountToken({
      name: account,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const cluster = env.admin.getCurrentCluster();
    if (!cluster || !token.status?.token) throw new Error('no cluster or token');
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: account, token: token.status.token }],
      contexts: [{ name: 'user', cluster: cluster.name, user: account }],
      currentContext: 'user',
    });
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const ref = (name: string) => ({ group: GROUP, version: VERSION, namespace, plural: 'tenants', name });
    const user: NamespaceUser = {
      namespace,
      custom,
      core: kc.makeApiClient(k8s.CoreV1Api),
      async createTenant(name, spec) {
        await custom.createNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: 'tenants',
          body: {
            apiVersion: `${GROUP}/${VERSION}`,
            kind: 'Tenant',
            metadata: { name, labels: tenantLabel },
            spec,
          },
        });
      },
      async patchTenantStatus(name, status) {
        await custom.patchNamespacedCustomObjectStatus({ ...ref(name), body: { status } }, merge);
      },
      async getTenant(name) {
        return (await custom.getNamespacedCustomObject(ref(name))) as TenantObject;
      },
      async deleteTenant(name) {
        await custom.deleteNamespacedCustomObject(ref(name));
      },
    };
    users.set(namespace, user);
    return user;
  }

  return {
    ...env,
    tenantLabel,
    namespaceUser,
    async otherNamespace(suffix, labels = {}) {
      const namespace = `${env.namespace}-${suffix}`;
      await env.core.createNamespace({ body: { metadata: { name: namespace, labels } } });
      created.push(namespace);
      return namespaceUser(namespace);
    },
  };
}

/** Waits until a Tenant reports a stalled blocker with this reason. */
export function stalledWith(user: NamespaceUser, name: string, reason: string): Promise<TenantObject> {
  return eventually(
    `Tenant ${user.namespace}/${name} stalled with ${reason}`,
    () => user.getTenant(name),
    (x) => condition(x, 'Stalled')?.status === 'True' && condition(x, 'Stalled')?.reason === reason,
    { timeoutMs: 60_000 },
  );
}

/** Everything of a provisioned tenant an attacker could damage, read so it can be compared. */
export interface TenantSnapshot {
  readonly record: unknown;
  readonly secret: { resourceVersion: string | undefined; data: Record<string, string> | undefined };
  readonly accounts: unknown[];
  readonly collections: string[];
  readonly users: unknown;
  readonly status: unknown;
  /** Whether the tenant's own connection Secret still opens its database. */
  readonly credentialsWork: boolean;
}

export async function snapshotTenant(
  env: OperatorEnv,
  namespace: string,
  name: string,
  tenantId = name,
): Promise<TenantSnapshot> {
  const record = await env.registry.get(tenantId);
  const secret = await env.core.readNamespacedSecret({ namespace, name: `${name}-db` });
  const uri = Buffer.from(secret.data?.uri ?? '', 'base64').toString('utf8');
  const database = record?.database ?? '';
  const cluster = env.mongo; // the first test server; the tenants of these tests are placed there
  const db = cluster.db(database);
  const accounts = await db.collection('accounts').find({}).sort({ _id: 1 }).toArray();
  const collections = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const users = (await db.command({ usersInfo: 1 })).users;
  let credentialsWork = true;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db(database).command({ ping: 1 });
    await client.db(database).collection('accounts').findOne({});
  } catch {
    credentialsWork = false;
  } finally {
    await client.close();
  }
  const tenant = (await env.custom.getNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: 'tenants',
    name,
  })) as TenantObject & { metadata: { resourceVersion: string } };
  return {
    record,
    secret: { resourceVersion: secret.metadata?.resourceVersion, data: secret.data },
    accounts,
    collections,
    users,
    status: tenant.status,
    credentialsWork,
  };
}
