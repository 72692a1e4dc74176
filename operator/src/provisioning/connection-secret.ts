import { isDeepStrictEqual } from 'node:util';
import type * as k8s from '@kubernetes/client-node';
import type { Tenant } from '../resources/tenant.ts';
import { API_VERSION } from '../resources/tenant.ts';

/**
 * The Secret that hands the tenant's database connection to whoever needs it. Key names, labels
 * and annotations come from spec.connectionSecret; the Tenant owns it (ownerReference), so it goes
 * when the Tenant goes.
 */
export interface ConnectionValues {
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
}

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'atrium-operator' } as const;

function ownerReference(tenant: Tenant): k8s.V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: 'Tenant',
    name: tenant.metadata.name,
    uid: tenant.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

/** A Secret the operator makes for `tenant` in its namespace: labelled as ours, owned by the Tenant. */
function tenantSecret(
  tenant: Tenant,
  name: string,
  values: Record<string, string>,
  extra: {
    labels?: Record<string, string> | undefined;
    annotations?: Record<string, string> | undefined;
  } = {},
): k8s.V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: tenant.metadata.namespace,
      labels: { ...(extra.labels ?? {}), ...MANAGED_BY, 'atrium.dev/tenant': tenant.metadata.name },
      ...(extra.annotations ? { annotations: { ...extra.annotations } } : {}),
      ownerReferences: [ownerReference(tenant)],
    },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, b64(value)])),
  };
}

export function desiredConnectionSecret(
  tenant: Tenant,
  name: string,
  values: ConnectionValues,
): k8s.V1Secret {
  const shape = tenant.spec.connectionSecret;
  return tenantSecret(
    tenant,
    name,
    {
      [shape.uriKey]: values.uri,
      [shape.usernameKey]: values.username,
      [shape.passwordKey]: values.password,
      [shape.databaseKey]: values.database,
    },
    { labels: shape.labels, annotations: shape.annotations ?? {} },
  );
}

export function desiredAdminSecret(
  tenant: Tenant,
  name: string,
  email: string,
  password: string,
): k8s.V1Secret {
  return tenantSecret(tenant, name, { email, password });
}

/** Whether the live Secret already carries everything desired (extra labels by others are fine). */
export function secretMatches(live: k8s.V1Secret | null, desired: k8s.V1Secret): boolean {
  if (!live) return false;
  const subset = (want: Record<string, string> | undefined, have: Record<string, string> | undefined) =>
    Object.entries(want ?? {}).every(([k, v]) => have?.[k] === v);
  const owners = (live.metadata?.ownerReferences ?? []).map((o) => ({
    uid: o.uid,
    controller: o.controller,
  }));
  const wantOwners = (desired.metadata?.ownerReferences ?? []).map((o) => ({
    uid: o.uid,
    controller: o.controller,
  }));
  return (
    isDeepStrictEqual(live.data ?? {}, desired.data ?? {}) &&
    subset(desired.metadata?.labels, live.metadata?.labels) &&
    subset(desired.metadata?.annotations, live.metadata?.annotations) &&
    wantOwners.every((w) => owners.some((o) => o.uid === w.uid))
  );
}

export function readSecretValue(secret: k8s.V1Secret | null, key: string): string | undefined {
  const encoded = secret?.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}
