import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { readHints } from '../tenancy/resolve.ts';

/** Request headers a browser app may send cross-origin: the ones the API reads, and no others. */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'Idempotency-Key',
  'X-Tenant-ID',
  'X-Request-Id',
] as const;

/** Response headers a browser app may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'Idempotent-Replayed',
  'X-Request-Id',
] as const;

/** How long a browser may keep a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE_S = 600;

export interface CorsDeps {
  /** Origins allowed for every tenant (the chart's api.cors.allowedOrigins, CORS_ALLOWED_ORIGINS). */
  defaultOrigins: readonly string[];
  baseDomain: string;
  /** The tenant a preflight's host names, from what the pod holds or the registry; null if none. */
  tenantOfSubdomain(subdomain: string, ctx: Context): Promise<TenantRecord | null>;
  /** The methods the public routes serve at a path (none: no such route). */
  methodsAt(path: string): string[];
}

/**
 * Cross-origin requests from browser apps, per tenant: an origin is allowed when the tenant's
 * `spec.cors.allowedOrigins` or the chart-wide default lists it; nothing is allowed by default.
 *
 * - A preflight (OPTIONS with Access-Control-Request-Method) is answered here, before any token or
 *   body is looked at: 204 with the route's methods and the headers the API reads, or 403
 *   `cors-origin-not-allowed`. A preflight carries no X-Tenant-ID or token, so its tenant is the one
 *   its host names; on a host that names none (X-Tenant-ID set-ups) only the default origins apply.
 * - An actual request is served as any other; when its origin is allowed for the tenant it was
 *   served for, the answer (errors included) carries Access-Control-Allow-Origin with that origin
 *   and the headers an app may read. Never `*`, and never Allow-Credentials: the API takes bearer
 *   tokens, not cookies, so browsers need send no credentials.
 * - Every answer varies by Origin, so no cache hands one origin's answer to another.
 */
export function cors(deps: CorsDeps): Middleware {
  const defaults = new Set(deps.defaultOrigins);
  const allowedFor = (origin: string, tenant: TenantRecord | null | undefined) =>
    defaults.has(origin) || (tenant?.corsOrigins.includes(origin) ?? false);

  return async (ctx: Context, next: Next) => {
    ctx.vary('Origin');
    const origin = ctx.get('origin');
    if (!origin) return next();
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      return preflight(ctx, origin);
    }
    try {
      await next();
    } finally {
      const tenant = (ctx.state as { tenant?: TenantRecord }).tenant;
      if (allowedFor(origin, tenant)) {
        ctx.set('Access-Control-Allow-Origin', origin);
        ctx.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
      }
    }
  };

  async function preflight(ctx: Context, origin: string): Promise<void> {
    ctx.vary('Access-Control-Request-Method');
    ctx.vary('Access-Control-Request-Headers');
    const methods = deps.methodsAt(ctx.path);
    if (methods.length === 0) throw new ApiProblem('not-found');
    const { subdomain } = readHints(ctx.request, deps.baseDomain);
    const tenant = subdomain === undefined ? null : await deps.tenantOfSubdomain(subdomain, ctx);
    if (!allowedFor(origin, tenant)) {
      throw new ApiProblem('cors-origin-not-allowed', {
        detail: `The origin ${JSON.stringify(origin.slice(0, 253))} may not call this API for this tenant: add it to the Tenant's spec.cors.allowedOrigins`,
      });
    }
    ctx.status = 204;
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Allow-Methods', methods.join(', '));
    ctx.set('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
    ctx.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
  }
}

/**
 * The methods `routers` serve at `path` (HEAD with GET), for preflights, OPTIONS and 405s. A
 * literal route's path (/v1/users/import) is not also served by the routes whose parameter it
 * would fill (/v1/users/{userId}): no id is a word.
 */
export function methodsAt(routers: Router[], path: string): string[] {
  const layers = routers.flatMap((router) => router.match(path, 'GET').path).filter((l) => l.methods.length);
  const literal = layers.filter((layer) => layer.paramNames.length === 0);
  return [...new Set((literal.length ? literal : layers).flatMap((layer) => layer.methods))].sort();
}
