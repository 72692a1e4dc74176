import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import test from 'ava';
import { z } from 'zod';
import { MongoClusterSpec, MongoClusterStatusBlock } from '../../operator/src/resources/mongo-cluster.ts';
import { TenantSpec, TenantStatusBlock } from '../../operator/src/resources/tenant.ts';
import { testServers } from '../harness/env.ts';
import { adminKubeConfig, apiErrorMessage, createNamespace, installCrds, readYaml } from './kube-fixtures.ts';

const run = promisify(execFile);

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  'x-kubernetes-validations'?: Array<{ rule: string }>;
};

interface Crd {
  spec: { versions: Array<{ schema: { openAPIV3Schema: JsonSchema } }> };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MIN_SAFE = Number.MIN_SAFE_INTEGER;

/**
 * What both schemas must agree on: shape, types, enums, bounds, patterns, defaults, required.
 * CRD-only concerns (descriptions, formats, CEL cross-field rules, object size limits) are left out,
 * except that a CEL `self.matches('…')` counts as the field's pattern.
 */
function normalise(schema: JsonSchema): unknown {
  const out: Record<string, unknown> = {};
  for (const key of ['type', 'enum', 'minLength', 'maxLength', 'maxItems', 'default', 'pattern']) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  if (schema.minimum !== undefined && schema.minimum !== MIN_SAFE) out.minimum = schema.minimum;
  if (schema.maximum !== undefined && schema.maximum !== MAX_SAFE) out.maximum = schema.maximum;
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    const match = /^self\.matches\('(.*)'\)$/.exec(v.rule);
    if (match?.[1]) out.pattern = match[1].replace(/\\\\/g, '\\');
  }
  // RegExp#source escapes '/', which JSON Schema patterns need not.
  if (typeof out.pattern === 'string') out.pattern = out.pattern.replace(/\\\//g, '/');
  if (Array.isArray(out.enum)) out.enum = [...(out.enum as string[])].sort();
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalise(v)]),
    );
    out.required = [...(schema.required ?? [])].sort();
  }
  if (schema.items) out.items = normalise(schema.items);
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = normalise(schema.additionalProperties);
  }
  return out;
}

function fromZod(schema: z.ZodType): unknown {
  return normalise(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

function crdPart(file: string, part: 'spec' | 'status'): unknown {
  const crd = readYaml<Crd>(file);
  const root = crd.spec.versions[0]?.schema.openAPIV3Schema;
  const node = root?.properties?.[part];
  if (!node) throw new Error(`${file} has no ${part}`);
  return normalise(node);
}

test('the Tenant CRD schema and the operator types agree (spec and status)', (t) => {
  t.deepEqual(crdPart('crds/tenants.atrium.dev.yaml', 'spec'), fromZod(TenantSpec));
  t.deepEqual(crdPart('crds/tenants.atrium.dev.yaml', 'status'), fromZod(TenantStatusBlock));
});

test('the MongoCluster CRD schema and the operator types agree (spec and status)', (t) => {
  t.deepEqual(crdPart('crds/mongoclusters.atrium.dev.yaml', 'spec'), fromZod(MongoClusterSpec));
  t.deepEqual(crdPart('crds/mongoclusters.atrium.dev.yaml', 'status'), fromZod(MongoClusterStatusBlock));
});

const tenantBody = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Tenant',
  metadata: { name },
  spec,
});

test('the API server defaults a Tenant exactly as the operator types do', async (t) => {
  const kc = adminKubeConfig();
  await installCrds(kc);
  const namespace = await createNamespace(t, kc);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const spec = { displayName: 'Acme University', subdomain: 'acme' };
  const created = (await custom.createNamespacedCustomObject({
    group: 'atrium.dev',
    version: 'v1alpha1',
    namespace,
    plural: 'tenants',
    body: tenantBody('acme', spec),
  })) as { spec: unknown };
  t.deepEqual(created.spec, TenantSpec.parse(spec));
});

test('an invalid Tenant is refused by the API server with a message that says what is wrong', async (t) => {
  const kc = adminKubeConfig();
  await installCrds(kc);
  const namespace = await createNamespace(t, kc);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const create = (name: string, spec: Record<string, unknown>) =>
    custom.createNamespacedCustomObject({
      group: 'atrium.dev',
      version: 'v1alpha1',
      namespace,
      plural: 'tenants',
      body: tenantBody(name, spec),
    });
  const refused = async (spec: Record<string, unknown>, expected: RegExp) => {
    const error = await t.throwsAsync(create(`bad-${Math.random().toString(36).slice(2, 8)}`, spec));
    t.regex(apiErrorMessage(error), expected);
  };
  const base = { displayName: 'Acme', subdomain: 'acme' };
  await refused({ ...base, subdomain: 'Not_A_Label' }, /subdomain must be a DNS label/);
  await refused({ ...base, plan: 'platinum' }, /spec\.plan: Unsupported value: "platinum"/);
  await refused({ ...base, deletionPolicy: 'Orphan' }, /spec\.deletionPolicy: Unsupported value/);
  await refused({ displayName: 'Acme' }, /spec\.subdomain: Required value/);
  await refused({ ...base, admin: { email: 'nobody' } }, /admin\.email must be an e-mail address/);
  await refused(
    { ...base, placement: { clusterName: 'a', clusterSelector: { matchLabels: { r: 'eu' } } } },
    /placement takes clusterName or clusterSelector, not both/,
  );
  await refused(
    { ...base, connectionSecret: { uriKey: 'same', passwordKey: 'same' } },
    /spec\.connectionSecret/,
  );

  // tenantId is immutable, and cannot be added later either.
  await create('fixed', { ...base, tenantId: 'fixed-id' });
  const patchSpec = (name: string, spec: Record<string, unknown>) =>
    custom.patchNamespacedCustomObject(
      { group: 'atrium.dev', version: 'v1alpha1', namespace, plural: 'tenants', name, body: { spec } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  t.regex(
    apiErrorMessage(await t.throwsAsync(patchSpec('fixed', { tenantId: 'other-id' }))),
    /tenantId is immutable/,
  );
  await create('derived', { ...base, subdomain: 'derived' });
  t.regex(
    apiErrorMessage(await t.throwsAsync(patchSpec('derived', { tenantId: 'late-id' }))),
    /tenantId is immutable/,
  );
  // Other fields stay editable.
  t.like(await patchSpec('fixed', { displayName: 'Acme Renamed' }), {
    spec: { tenantId: 'fixed-id', displayName: 'Acme Renamed' },
  });
});

test('status.cluster is locked once set', async (t) => {
  const kc = adminKubeConfig();
  await installCrds(kc);
  const namespace = await createNamespace(t, kc);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  await custom.createNamespacedCustomObject({
    group: 'atrium.dev',
    version: 'v1alpha1',
    namespace,
    plural: 'tenants',
    body: tenantBody('placed', { displayName: 'Placed', subdomain: 'placed' }),
  });
  const patchStatus = (status: Record<string, unknown>) =>
    custom.patchNamespacedCustomObjectStatus(
      {
        group: 'atrium.dev',
        version: 'v1alpha1',
        namespace,
        plural: 'tenants',
        name: 'placed',
        body: { status },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  await patchStatus({ cluster: 'eu-1', database: 'tenant_placed' });
  await patchStatus({ database: 'tenant_placed' });
  const moved = await t.throwsAsync(patchStatus({ cluster: 'us-1' }));
  t.regex(apiErrorMessage(moved), /status\.cluster is locked once set/);
  const cleared = await t.throwsAsync(patchStatus({ cluster: null }));
  t.regex(apiErrorMessage(cleared), /status\.cluster is locked once set/);
});

test('kubectl apply of an invalid Tenant fails with the reason and creates nothing', async (t) => {
  const kc = adminKubeConfig();
  await installCrds(kc);
  const namespace = await createNamespace(t, kc);
  const dir = mkdtempSync(join(tmpdir(), 'atrium-crd-'));
  const kubectl = (...args: string[]) =>
    run(testServers.kubectl(), ['--kubeconfig', testServers.kubeconfig(), ...args], { timeout: 60_000 });
  const apply = async (spec: string) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      `apiVersion: atrium.dev/v1alpha1\nkind: Tenant\nmetadata:\n  name: bad\n  namespace: ${namespace}\nspec:\n${spec}`,
    );
    const error = (await t.throwsAsync(kubectl('apply', '-f', file))) as Error & { stderr?: string };
    return error.stderr ?? '';
  };
  // Schema errors first (CEL rules run once the schema holds), then the CEL messages.
  t.regex(
    await apply('  displayName: Bad\n  subdomain: ok\n  plan: gold\n'),
    /spec\.plan: Unsupported value: "gold"/,
  );
  t.regex(await apply('  displayName: Bad\n  subdomain: Bad_Subdomain\n'), /subdomain must be a DNS label/);
  const { stdout } = await kubectl('get', 'tnt', '-n', namespace);
  t.is(stdout, '');
});
