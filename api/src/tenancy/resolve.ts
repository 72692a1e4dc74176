import type { Clock } from '../../../contract/src/clock.ts';
import { DnsLabel, type TenantRecord } from '../../../contract/src/registry/index.ts';
import type { VerifiedTokenCache } from '../auth/token-cache.ts';
import { claimedTenant, type Principal, TokenRejected, verifyAccessToken } from '../auth/tokens.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import type { TenantDirectory, TenantKey } from './directory.ts';
import { gateTenantStatus } from './gate.ts';
import type { LookupGuard } from './lookup-budget.ts';

/**
 * The longest bearer token looked at. Atrium's own are a few hundred bytes; anything longer is
 * refused before it is decoded, hashed or verified, so its size buys an attacker nothing.
 */
export const MAX_BEARER_LENGTH = 4096;

/** What a request says about its tenant, before any look-up. */
export interface TenantHints {
  subdomain: string | undefined;
  headerTenantId: string | undefined;
  bearer: string | undefined;
}

export interface ResolvedTenant {
  tenant: TenantRecord;
  principal: Principal | undefined;
  /** Which hints named the tenant, for metrics: e.g. "subdomain+token". */
  source: string;
}

/** Reads the hints from the host, the X-Tenant-ID header and the Authorization header. */
export function readHints(
  request: { hostname: string; header: Record<string, string | string[] | undefined> },
  baseDomain: string,
): TenantHints {
  const host = request.hostname.toLowerCase();
  const suffix = `.${baseDomain.toLowerCase()}`;
  const subdomain = baseDomain && host.endsWith(suffix) ? host.slice(0, -suffix.length) : undefined;
  const headerValue = request.header['x-tenant-id'];
  const headerTenantId = typeof headerValue === 'string' && headerValue !== '' ? headerValue : undefined;
  const authorization = request.header.authorization;
  const bearer =
    typeof authorization === 'string' && /^bearer /i.test(authorization)
      ? authorization.slice(7).trim()
      : undefined;
  return { subdomain, headerTenantId, bearer };
}

/**
 * Finds the tenant of a request and checks that every hint agrees: host and header must name the
 * same tenant, and a token must have been issued for it and verify with its key. Unknown tenants
 * get one answer whichever hint named them.
 */
export async function resolveTenant(
  hints: TenantHints,
  directory: TenantDirectory,
  options: {
    provisioningRetryAfterS: number;
    /** The time tokens are verified at. */
    clock: Clock;
    tokens?: VerifiedTokenCache;
    /** The client's budget of look-ups the pod cannot answer from memory (lookup-budget.ts). */
    lookupGuard?: LookupGuard;
  },
): Promise<ResolvedTenant> {
  const { subdomain, headerTenantId, bearer } = hints;
  if (headerTenantId !== undefined && !DnsLabel.safeParse(headerTenantId).success) {
    throw new ApiProblem('malformed-request', { detail: 'X-Tenant-ID must be a lower-case DNS label' });
  }
  if (bearer !== undefined && bearer.length > MAX_BEARER_LENGTH) {
    throw new ApiProblem('invalid-token', {
      detail: `Access tokens are at most ${MAX_BEARER_LENGTH} characters`,
    });
  }
  const find = (key: TenantKey) => directory.find(key, options.lookupGuard);
  const tokenTenantId =
    bearer === undefined ? undefined : (options.tokens?.claimedTenant(bearer) ?? claimedTenant(bearer));
  if (bearer !== undefined && tokenTenantId === undefined) throw new ApiProblem('invalid-token');

  const sources: string[] = [];
  let tenant: TenantRecord | null | undefined;
  if (subdomain !== undefined) {
    sources.push('subdomain');
    tenant = DnsLabel.safeParse(subdomain).success ? await find({ subdomain }) : null;
    if (!tenant) throw new ApiProblem('tenant-not-found');
  }
  if (headerTenantId !== undefined) {
    sources.push('header');
    if (tenant) {
      if (tenant.tenantId !== headerTenantId) throw new ApiProblem('tenant-mismatch');
    } else {
      tenant = await find({ tenantId: headerTenantId });
      if (!tenant) throw new ApiProblem('tenant-not-found');
    }
  }
  if (tokenTenantId !== undefined) {
    sources.push('token');
    if (tenant) {
      if (tenant.tenantId !== tokenTenantId) throw new ApiProblem('token-tenant-mismatch');
    } else {
      tenant = await find({ tenantId: tokenTenantId });
      // An unverifiable claim must not reveal whether the tenant exists.
      if (!tenant) throw new ApiProblem('invalid-token');
    }
  }
  if (!tenant) throw new ApiProblem('tenant-required');
  gateTenantStatus(tenant, options.provisioningRetryAfterS);

  let principal: Principal | undefined;
  if (bearer !== undefined) {
    try {
      const now = options.clock.date();
      principal = options.tokens
        ? await options.tokens.verify(bearer, tenant, now)
        : await verifyAccessToken(bearer, tenant, now);
    } catch (error) {
      if (error instanceof TokenRejected) {
        throw new ApiProblem(error.reason === 'wrong-tenant' ? 'token-tenant-mismatch' : 'invalid-token');
      }
      throw error;
    }
  }
  return { tenant, principal, source: sources.join('+') };
}
