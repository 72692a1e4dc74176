import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { testServers, uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function readYaml<T = Record<string, unknown>>(relativePath: string): T {
  return load(readFileSync(`${root}${relativePath}`, 'utf8')) as T;
}

export function adminKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(testServers.kubeconfig());
  return kc;
}

/** Applies both CRDs (server-side apply, so parallel test files converge) and waits until served. */
export async function installCrds(kc = adminKubeConfig()): Promise<void> {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const file of ['crds/tenants.atrium.dev.yaml', 'crds/mongoclusters.atrium.dev.yaml']) {
    // loadYaml builds the client's model (whose serializer knows `default`, `enum`, CEL rules);
    // a plain parsed object would lose them on the way out.
    const crd = k8s.loadYaml<k8s.V1CustomResourceDefinition & { metadata: { name: string } }>(
      readFileSync(`${root}${file}`, 'utf8'),
    );
    await objects.patch(crd, undefined, undefined, 'atrium-tests', true, k8s.PatchStrategy.ServerSideApply);
    await eventually(
      `${crd.metadata.name} served`,
      () => crdState(kc, crd),
      (state) => state === 'served',
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }
}

/**
 * How far a CRD is: Established is not yet served, so it is served once a list answers (no 429
 * "re-initializing").
 */
async function crdState(
  kc: k8s.KubeConfig,
  crd: k8s.V1CustomResourceDefinition & { metadata: { name: string } },
): Promise<'not established' | 'established, not served' | 'served'> {
  const current = await kc
    .makeApiClient(k8s.ApiextensionsV1Api)
    .readCustomResourceDefinition({ name: crd.metadata.name });
  if (!current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
    return 'not established';
  const [, group = ''] = crd.metadata.name.split(/\.(.*)/s);
  const served = await kc
    .makeApiClient(k8s.CustomObjectsApi)
    .listClusterCustomObject({ group, version: 'v1alpha1', plural: crd.spec.names.plural })
    .then(() => true)
    .catch(() => false);
  return served ? 'served' : 'established, not served';
}

/** A fresh namespace, deleted when the test ends. */
export async function createNamespace(
  t: { teardown: (fn: () => Promise<void>) => void },
  kc = adminKubeConfig(),
): Promise<string> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const name = uniqueName('op').replace('_', '-');
  await core.createNamespace({ body: { metadata: { name } } });
  t.teardown(async () => {
    await core.deleteNamespace({ name }).catch(() => undefined);
  });
  return name;
}

/** The message of a Kubernetes API error (the Status body), for assertions. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof k8s.ApiException) {
    const body = error.body as unknown;
    if (typeof body === 'string') {
      try {
        return String((JSON.parse(body) as { message?: string }).message ?? body);
      } catch {
        return body;
      }
    }
    return String((body as { message?: string } | undefined)?.message ?? error.message);
  }
  return error instanceof Error ? error.message : String(error);
}
