import { createHash } from 'node:crypto';

/**
 * Names derived from a tenant id. Tenant ids are DNS labels (no '_', at most 63 characters), so
 * replacing '-' by '_' cannot make two tenants collide; ids too long for a database name keep a
 * readable prefix and a hash of the whole id.
 */
const MAX_DATABASE_NAME = 63;

function bounded(prefix: string, tenantId: string): string {
  const plain = `${prefix}${tenantId.replace(/-/g, '_')}`;
  if (plain.length <= MAX_DATABASE_NAME) return plain;
  const hash = createHash('sha256').update(tenantId).digest('hex').slice(0, 16);
  return `${plain.slice(0, MAX_DATABASE_NAME - hash.length - 1)}_${hash}`;
}

export function databaseNameFor(tenantId: string): string {
  return bounded('tenant_', tenantId);
}

/**
 * The tenant's database user: `primary` (the one every tenant has had) or `secondary`, the one it
 * alternates with on credential rotation.
 */
export function databaseUserFor(tenantId: string, slot: 'primary' | 'secondary' = 'primary'): string {
  return slot === 'primary' ? bounded('atrium_', tenantId) : bounded('atrium2_', tenantId);
}

export function connectionSecretNameFor(tenantName: string): string {
  return `${tenantName}-db`;
}

export function adminSecretNameFor(tenantName: string): string {
  return `${tenantName}-admin`;
}
