import type { ParameterizedContext } from 'koa';
import type { RouteDeps } from '../http/route-deps.ts';
import type { TenantState } from '../tenancy/state.ts';

/**
 * Ends every session of an account, after a change to its credentials (password, role, status)
 * has been written with a new `sessionEpoch`: every refresh-token family at once (refresh also
 * checks the epoch, so a refresh racing this one cannot keep a family alive), and every access
 * token issued to it on every pod (revocations.ts).
 */
export async function endSessions(
  ctx: ParameterizedContext<TenantState>,
  deps: Pick<RouteDeps, 'revocations' | 'clock'>,
  accountId: string,
): Promise<void> {
  await ctx.state.db.models.RefreshToken.updateMany(
    { accountId, revokedAt: null },
    { $set: { revokedAt: deps.clock.date() } },
  );
  await deps.revocations.revoke(ctx.state.tenant.tenantId, accountId);
}
