import type { Middleware } from 'koa';
import type { Clock } from '../../../contract/src/clock.ts';
import type { AccountRevocations } from '../auth/revocations.ts';
import type { VerifiedTokenCache } from '../auth/token-cache.ts';
import type { ConnectionManager } from '../connections/manager.ts';
import type { TenantModels } from '../connections/tenant-models.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import type { Metrics } from '../observability/metrics.ts';
import { requestContext } from '../observability/request-context.ts';
import type { TenantDirectory } from './directory.ts';
import type { TenantLookupBudget } from './lookup-budget.ts';
import type { TenantRateLimiter } from './rate-limit.ts';
import { readHints, resolveTenant } from './resolve.ts';
import type { TenantState } from './state.ts';

export interface TenancyDeps {
  directory: TenantDirectory;
  rateLimiter: TenantRateLimiter;
  revocations: AccountRevocations;
  metrics: Metrics;
  baseDomain: string;
  provisioningRetryAfterS: number;
  clock: Clock;
  tokens: VerifiedTokenCache;
  lookups: TenantLookupBudget;
}

/** Resolves, checks and rate-limits the tenant of the request; the token, if any, is verified. */
export function tenantContext(deps: TenancyDeps): Middleware<TenantState> {
  return async (ctx, next) => {
    const started = performance.now();
    const hints = readHints(ctx.request, deps.baseDomain);
    const resolved = await resolveTenant(hints, deps.directory, {
      provisioningRetryAfterS: deps.provisioningRetryAfterS,
      clock: deps.clock,
      tokens: deps.tokens,
      lookupGuard: deps.lookups.guard(ctx.ip),
    });
    ctx.state.tenant = resolved.tenant;
    const facts = requestContext.getStore();
    if (facts) facts.tenantId = resolved.tenant.tenantId;
    ctx.state.principal = resolved.principal;
    deps.metrics.resolutionDuration.observe(
      { source: resolved.source },
      (performance.now() - started) / 1000,
    );

    const principal = resolved.principal;
    if (principal) {
      // From memory (kept in sync over pub/sub). A pod that may have missed a revocation refuses
      // tokens (fail closed), with an honest 503.
      let revoked: boolean;
      try {
        revoked = deps.revocations.isRevoked(principal.tenantId, principal.userId, principal.authTime);
      } catch (error) {
        throw new ApiProblem('revocation-check-unavailable', {
          cause: error,
          headers: { 'Retry-After': '1' },
        });
      }
      if (revoked) throw new ApiProblem('invalid-token');
    }
    // Requests without a verified token (logins above all) spend a budget of their own.
    const taken = deps.rateLimiter.take(
      resolved.tenant.tenantId,
      resolved.tenant.plan,
      principal ? 'requests' : 'anonymous',
    );
    const decision = taken instanceof Promise ? await taken : taken;
    if (decision) {
      ctx.set(decision.headers);
      if (!decision.allowed) {
        deps.metrics.rateLimited.inc({ plan: resolved.tenant.plan });
        throw new ApiProblem('rate-limited', { headers: decision.headers });
      }
    }
    await next();
  };
}

/**
 * Checks out the tenant's database for the request and tells the cluster's breaker how it went; a
 * failure the cluster is to blame for becomes 503 `cluster-unavailable` with Retry-After.
 */
export function tenantDatabase(manager: ConnectionManager<TenantModels>): Middleware<TenantState> {
  return async (ctx, next) => {
    const checkout = await manager.acquire(ctx.state.tenant);
    ctx.state.db = checkout;
    try {
      await next();
      manager.recordOutcome(checkout.cluster);
    } catch (error) {
      throw manager.recordOutcome(checkout.cluster, error) ?? error;
    } finally {
      checkout.release();
    }
  };
}
