import * as k8s from '@kubernetes/client-node';

/** The field manager of everything the operator writes with server-side apply. */
export const FIELD_MANAGER = 'atrium-operator';

/** The Kubernetes API clients the operator uses, built once from one KubeConfig. */
export interface KubeClients {
  readonly kubeConfig: k8s.KubeConfig;
  readonly core: k8s.CoreV1Api;
  readonly custom: k8s.CustomObjectsApi;
  readonly objects: k8s.KubernetesObjectApi;
}

/** How long one request to the API server may take before it is aborted (watches excepted). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export function makeKubeClients(
  kubeConfig: k8s.KubeConfig,
  options: { requestTimeoutMs?: number } = {},
): KubeClients {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    kubeConfig,
    core: makeTimedApiClient(kubeConfig, k8s.CoreV1Api, timeoutMs),
    custom: makeTimedApiClient(kubeConfig, k8s.CustomObjectsApi, timeoutMs),
    // Every object the operator applies names its namespace: no default namespace needed.
    objects: makeTimedApiClient(kubeConfig, k8s.KubernetesObjectApi, timeoutMs),
  };
}

/**
 * An API client whose every request is aborted after `timeoutMs`: client-node sets no timeout of
 * its own, so a stalled API server would hold a reconcile, a lease renewal or a list forever.
 */
export function makeTimedApiClient<T>(
  kubeConfig: k8s.KubeConfig,
  api: new (configuration: k8s.Configuration) => T,
  timeoutMs: number,
): T {
  return new api(timedConfiguration(kubeConfig, timeoutMs));
}

function timedConfiguration(kubeConfig: k8s.KubeConfig, timeoutMs: number): k8s.Configuration {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig names no current cluster');
  return k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: async (request) => {
          request.setSignal(AbortSignal.timeout(timeoutMs));
          return request;
        },
        post: async (response) => response,
      },
    ],
  });
}

const applyPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export interface CustomResourceRef {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly name: string;
  readonly namespace?: string | undefined;
}

/** Server-side apply to the status subresource. */
export async function applyCustomObjectStatus(
  kube: KubeClients,
  ref: CustomResourceRef,
  body: object,
): Promise<unknown> {
  const { group, version, plural, name, namespace } = ref;
  const common = { group, version, plural, name, body, fieldManager: FIELD_MANAGER, force: true };
  return namespace === undefined
    ? kube.custom.patchClusterCustomObjectStatus(common, applyPatch)
    : kube.custom.patchNamespacedCustomObjectStatus({ ...common, namespace }, applyPatch);
}

/** A JSON merge patch of metadata (finalizers), guarded by resourceVersion. */
export async function mergePatchCustomObject(
  kube: KubeClients,
  ref: CustomResourceRef & { namespace: string },
  body: object,
): Promise<unknown> {
  const { group, version, plural, name, namespace } = ref;
  return kube.custom.patchNamespacedCustomObject(
    { group, version, plural, name, namespace, body, fieldManager: FIELD_MANAGER },
    mergePatch,
  );
}

/** Server-side apply of a core object (e.g. a Secret). */
export async function applyObject<T extends k8s.KubernetesObject>(kube: KubeClients, object: T): Promise<T> {
  return kube.objects.patch(
    object,
    undefined,
    undefined,
    FIELD_MANAGER,
    true,
    k8s.PatchStrategy.ServerSideApply,
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof k8s.ApiException && error.code === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof k8s.ApiException && error.code === 409;
}
