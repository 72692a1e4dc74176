import { randomBytes } from 'node:crypto';
import type { SigningKey, TenantInput, TenantRecord } from '../../contract/src/registry/index.ts';
import { uniqueName } from './env.ts';

/** A fresh HS256 signing key, as a tenant record carries it. */
export function hs256SigningKey(kid: string, createdAt = new Date()): SigningKey {
  return { kid, alg: 'HS256', jwk: { kty: 'oct', k: randomBytes(32).toString('base64url') }, createdAt };
}

/**
 * The one builder of tenant records for tests and benchmarks: what a writer puts into the registry
 * for an active tenant. A unique id and subdomain, shared isolation on `cluster-a`, the standard
 * plan, an HS256 key of its own (kid `<tenantId>-1`), and a connection URI whose password
 * (`s3cr3t-<tenantId>`) tests look for where it must not appear. Override what a test is about.
 */
export function tenantInput(overrides: Partial<TenantInput> = {}): TenantInput {
  const tenantId = overrides.tenantId ?? uniqueName('t').replace('_', '-');
  return {
    tenantId,
    owner: null,
    subdomain: tenantId,
    displayName: `Tenant ${tenantId}`,
    plan: 'standard',
    isolation: 'shared',
    status: 'active',
    cluster: 'cluster-a',
    database: `tenant_${tenantId.replace(/-/g, '_')}`,
    dbURI: `mongodb://u_${tenantId}:s3cr3t-${tenantId}@127.0.0.1:27017/tenant?authSource=admin`,
    signingKeys: [hs256SigningKey(`${tenantId}-1`, new Date(0))],
    corsOrigins: [],
    generation: 1,
    ...overrides,
  };
}

/** A tenant record as the registry returns it (`tenantInput` with its `updatedAt`), for code that only reads one. */
export function tenantRecord(overrides: Partial<TenantRecord> = {}): TenantRecord {
  const { updatedAt = new Date(), ...input } = overrides;
  return { ...tenantInput(input), updatedAt };
}
