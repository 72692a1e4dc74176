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

export function makeKubeClients(kubeConfig: k8s.KubeConfig): KubeClients {
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(k8s.CoreV1Api),
    custom: kubeConfig.makeApiClient(k8s.CustomObjectsApi),
    objects: k8s.KubernetesObjectApi.makeApiClient(kubeConfig),
  };
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

/** Server-side apply of the fields in `body` (a partial object we own) to a custom resource. */
export async function applyCustomObject(
  kube: KubeClients,
  ref: CustomResourceRef,
  body: object,
): Promise<unknown> {
  const { group, version, plural, name, namespace } = ref;
  const common = { group, version, plural, name, body, fieldManager: FIELD_MANAGER, force: true };
  return namespace === undefined
    ? kube.custom.patchClusterCustomObject(common, applyPatch)
    : kube.custom.patchNamespacedCustomObject({ ...common, namespace }, applyPatch);
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
