import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DatabaseCheckout } from '../connections/manager.ts';
import type { TenantModels } from '../connections/tenant-models.ts';

/** What the tenancy middleware puts on `ctx.state` for the handlers after it. */
export interface TenantState {
  requestId: string;
  tenant: TenantRecord;
  principal: Principal | undefined;
  db: DatabaseCheckout<TenantModels>;
}
