import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import { ApiProblem } from '../errors/catalogue.ts';

/** Lets only active tenants through; every other status gets its own honest answer. */
export function gateTenantStatus(tenant: TenantRecord, provisioningRetryAfterS: number): void {
  switch (tenant.status) {
    case 'active':
      return;
    case 'provisioning':
      throw new ApiProblem('tenant-provisioning', {
        headers: { 'Retry-After': String(provisioningRetryAfterS) },
      });
    case 'suspended':
      throw new ApiProblem('tenant-suspended');
    case 'moving':
      // Writes must not land in the database being copied; back shortly, on the new cluster.
      throw new ApiProblem('tenant-moving', {
        headers: { 'Retry-After': String(provisioningRetryAfterS) },
      });
    case 'deleting':
      // Being torn down: to clients it is already not there.
      throw new ApiProblem('tenant-not-found');
    case 'deleted':
      throw new ApiProblem('tenant-gone');
  }
}
