import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import type { Principal } from '../auth/tokens.ts';
import type { DatabaseCheckout } from '../connections/manager.ts';
import type { TenantModels } from '../connections/tenant-models.ts';
import type { RequestIds } from '../http/request-ids.ts';

/** What the tenancy middleware puts on `ctx.state` for the handlers after it. */
export interface TenantState {
  requestId: string;
  tenant: TenantRecord;
  principal: Principal | undefined;
  db: DatabaseCheckout<TenantModels>;
  /** The ids of the documents the request creates (derived from its Idempotency-Key, if any). */
  ids: RequestIds;
}
