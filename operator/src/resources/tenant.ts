import { z } from 'zod';
import { CorsOrigins } from '../../../contract/src/registry/schema.ts';
import { Conditions } from './condition.ts';

/**
 * The Tenant resource (atrium.dev/v1alpha1) as the operator reads it: after the API server applied
 * the CRD's defaults. crds/tenants.atrium.dev.yaml is the published schema; a test keeps the two in
 * agreement (fields, types, enums, bounds, defaults).
 */
export const GROUP = 'atrium.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
const secretKey = z
  .string()
  .max(253)
  .regex(/^[-._a-zA-Z0-9]+$/);

export const TenantPlacement = z.object({
  clusterName: dnsLabel.optional(),
  clusterSelector: z.object({ matchLabels: z.record(z.string(), z.string().max(63)).optional() }).optional(),
});

export const ConnectionSecretSpec = z.object({
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
    .optional(),
  uriKey: secretKey.default('uri'),
  usernameKey: secretKey.default('username'),
  passwordKey: secretKey.default('password'),
  databaseKey: secretKey.default('database'),
  labels: z.record(z.string(), z.string().max(63)).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A Go-style duration in hours, minutes and seconds, e.g. `720h` or `1h30m`. */
export const Duration = z
  .string()
  .max(32)
  .regex(
    /^([0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s)$/,
    'a duration such as 720h, 90m or 1h30m',
  );

/** A Duration in milliseconds. */
export function durationMs(duration: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  const [, h = '0', m = '0', s = '0'] = match ?? [];
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

export const RotationSpec = z.object({
  /** Rotate on a schedule: this long after the last rotation (or the tenant's creation). */
  rotateAfter: Duration.optional(),
});

export const TenantMove = z.object({
  toCluster: dnsLabel,
  sourcePolicy: z.enum(['Retain', 'Delete']).default('Retain'),
});

export const TenantSpec = z.object({
  tenantId: dnsLabel.optional(),
  displayName: z.string().min(1).max(200),
  subdomain: dnsLabel,
  plan: z.enum(['free', 'standard', 'enterprise']).default('standard'),
  isolation: z.enum(['shared', 'dedicated']).default('shared'),
  placement: TenantPlacement.optional(),
  move: TenantMove.optional(),
  adopt: z.object({ tenantId: dnsLabel }).optional(),
  /** The tenant's database credentials: rotated on a schedule (and on demand, by annotation). */
  credentials: RotationSpec.optional(),
  /** The tenant's token-signing keys: rotated on a schedule (and on demand, by annotation). */
  signingKeys: RotationSpec.optional(),
  /** Browser apps on these origins may call the API for this tenant (CORS); none by default. */
  cors: z.object({ allowedOrigins: CorsOrigins.default([]) }).optional(),
  suspended: z.boolean().default(false),
  deletionPolicy: z.enum(['Retain', 'Delete']).default('Retain'),
  admin: z
    .object({
      email: z
        .string()
        .max(254)
        .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/),
    })
    .optional(),
  connectionSecret: ConnectionSecretSpec.prefault({
    uriKey: 'uri',
    usernameKey: 'username',
    passwordKey: 'password',
    databaseKey: 'database',
  }),
});

export const TenantPhase = z.enum([
  'Pending',
  'Provisioning',
  'Ready',
  'Suspended',
  'Moving',
  'Deleting',
  'Failed',
]);

export const MovePhase = z.enum(['Draining', 'Copying', 'Switching', 'Done', 'Abandoned']);

const timestamp = z.string().max(64);

export const MoveStatus = z.object({
  fromCluster: z.string().max(63).optional(),
  toCluster: z.string().max(63).optional(),
  sourcePolicy: z.enum(['Retain', 'Delete']).optional(),
  phase: MovePhase.optional(),
  startedAt: timestamp.optional(),
  drainUntil: timestamp.optional(),
  completedAt: timestamp.optional(),
  collections: z.int().min(0).optional(),
  documents: z.int().min(0).optional(),
});

export const CredentialsStatus = z.object({
  /** The database user that is live now. */
  current: z.string().max(63).optional(),
  rotatedAt: timestamp.optional(),
  /** When the previous credential stopped working. */
  previousRevokedAt: timestamp.optional(),
});

export const SigningKeysStatus = z.object({
  /** The key id new tokens are signed with. */
  current: z.string().max(128).optional(),
  rotatedAt: timestamp.optional(),
});

export const TenantStatusBlock = z.object({
  observedGeneration: z.int().min(0).optional(),
  phase: TenantPhase.optional(),
  cluster: z.string().max(63).optional(),
  database: z.string().max(63).optional(),
  /** The schema version the tenant's database was last migrated to. */
  schemaVersion: z.int().min(0).optional(),
  secretName: z.string().max(253).optional(),
  adminSecretName: z.string().max(253).optional(),
  move: MoveStatus.optional(),
  credentials: CredentialsStatus.optional(),
  signingKeys: SigningKeysStatus.optional(),
  conditions: Conditions.optional(),
});

export const ObjectMeta = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string(),
  generation: z.int().min(1),
  resourceVersion: z.string(),
  deletionTimestamp: z.string().optional(),
  finalizers: z.array(z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const Tenant = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Tenant'),
  metadata: ObjectMeta.extend({ namespace: z.string() }),
  spec: TenantSpec,
  status: TenantStatusBlock.optional(),
});

export type TenantSpec = z.infer<typeof TenantSpec>;
export type TenantStatusBlock = z.infer<typeof TenantStatusBlock>;
export type TenantPhase = z.infer<typeof TenantPhase>;
export type MoveStatus = z.infer<typeof MoveStatus>;
export type Tenant = z.infer<typeof Tenant>;

/** The tenant's id: spec.tenantId, or the resource's name. */
export function tenantIdOf(tenant: Pick<Tenant, 'metadata' | 'spec'>): string {
  return tenant.spec.tenantId ?? tenant.metadata.name;
}

export const TENANT_PLURAL = 'tenants';
export const TENANT_FINALIZER = 'atrium.dev/tenant-cleanup';
/** Break-glass: while "true", the operator leaves the Tenant alone. */
export const PAUSE_ANNOTATION = 'atrium.dev/reconcile-paused';
/** Any new value rotates the tenant's database credentials now (as `kubectl rollout restart` does). */
export const ROTATE_CREDENTIALS_ANNOTATION = 'atrium.dev/rotate-credentials';
/**
 * Any new value rotates the tenant's token-signing key now; a value starting with `revoke-previous`
 * (a compromised key) drops the previous keys at once instead of after the tokens' lifetime.
 */
export const ROTATE_SIGNING_KEY_ANNOTATION = 'atrium.dev/rotate-signing-key';
