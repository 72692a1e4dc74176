import { z } from 'zod';

/**
 * The registry contract shared by the operator (which writes it) and the API (which reads it).
 * Types are derived from these schemas; nothing here is written twice.
 */

/** RFC 1123 label: usable as a Kubernetes name, a DNS label and part of a database name. */
export const DnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and inner hyphens');

export const TenantId = DnsLabel.describe('Tenant identifier, immutable');
export const Subdomain = DnsLabel.describe('Host label under the API base domain');

export const Plan = z.enum(['free', 'standard', 'enterprise']);
export const Isolation = z.enum(['shared', 'dedicated']);
/** `moving`: the operator is copying the tenant to another cluster; the API answers 503 meanwhile. */
export const TenantStatus = z.enum(['provisioning', 'active', 'suspended', 'moving', 'deleting', 'deleted']);
export const ServerFlavour = z.enum(['mongodb', 'ferretdb']);

/** A key the API signs the tenant's access tokens with. Private material: stored encrypted. */
export const SigningKey = z.strictObject({
  kid: z.string().min(1).max(128),
  alg: z.enum(['EdDSA', 'ES256', 'HS256']),
  /** The private JWK (or `oct` secret for HS256). */
  jwk: z.record(z.string(), z.unknown()),
  createdAt: z.coerce.date(),
});

/**
 * The Tenant object that claimed a tenant id, and with it the subdomain, database, database user
 * and Secrets: the first to claim it, by namespace, name and UID. Every write is checked against it.
 */
/**
 * A browser origin allowed to call the API cross-origin (CORS): scheme, host and port only, lower
 * case, as browsers send it in `Origin` — no path, no wildcard.
 */
export const CorsOrigin = z
  .string()
  .max(253)
  .regex(
    /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:[0-9]{1,5})?$/,
    'an origin such as https://app.example.edu (scheme, host and port; no path)',
  );
export const CorsOrigins = z.array(CorsOrigin).max(20);

export const TenantOwner = z.strictObject({
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
  uid: z.string().min(1).max(128),
});

export const TenantRecord = z.strictObject({
  tenantId: TenantId,
  /** Null only for records written before owners were recorded, until their Tenant claims them. */
  owner: TenantOwner.nullable(),
  subdomain: Subdomain,
  displayName: z.string().min(1).max(200),
  plan: Plan,
  isolation: Isolation,
  status: TenantStatus,
  /** MongoCluster the tenant is placed on; null until placement. */
  cluster: DnsLabel.nullable(),
  database: z.string().min(1).max(63).nullable(),
  /** Connection URI with the tenant's own credentials. Encrypted at rest. */
  dbURI: z.string().min(1).nullable(),
  signingKeys: z.array(SigningKey),
  /** Browser origins allowed to call the API for this tenant (spec.cors.allowedOrigins). */
  corsOrigins: CorsOrigins.default([]),
  /** metadata.generation of the Tenant resource this record was written from; never goes back. */
  generation: z.int().min(1),
  updatedAt: z.date(),
});

export const ClusterRecord = z.strictObject({
  name: DnsLabel,
  labels: z.record(z.string(), z.string()),
  region: z.string().nullable(),
  /** Most tenants the operator places here; null for no limit. */
  capacity: z.int().min(0).nullable(),
  cordoned: z.boolean(),
  weight: z.int().min(0).max(1000),
  reachable: z.boolean(),
  serverVersion: z.string().nullable(),
  flavour: ServerFlavour.nullable(),
  tenantCount: z.int().min(0),
  /** URI the API pods use for the shared pool of this cluster. Encrypted at rest. */
  apiURI: z.string().min(1).nullable(),
  generation: z.int().min(1),
  updatedAt: z.date(),
});

export type Plan = z.infer<typeof Plan>;
export type Isolation = z.infer<typeof Isolation>;
export type TenantStatus = z.infer<typeof TenantStatus>;
export type ServerFlavour = z.infer<typeof ServerFlavour>;
export type SigningKey = z.infer<typeof SigningKey>;
export type TenantRecord = z.infer<typeof TenantRecord>;
export type TenantOwner = z.infer<typeof TenantOwner>;
export type ClusterRecord = z.infer<typeof ClusterRecord>;

/** What a writer supplies: the registry stamps `updatedAt`. */
export type TenantInput = Omit<TenantRecord, 'updatedAt'>;
export type ClusterInput = Omit<ClusterRecord, 'updatedAt'>;

export const TenantInput = TenantRecord.omit({ updatedAt: true });
export const ClusterInput = ClusterRecord.omit({ updatedAt: true });
