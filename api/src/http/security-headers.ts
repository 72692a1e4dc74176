import type { Context, Middleware, Next } from 'koa';

/**
 * Headers for a JSON API whose answers carry tokens and personal data:
 * - `X-Content-Type-Options: nosniff`: a JSON answer is never run as a script or styled;
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` and
 *   `Referrer-Policy: no-referrer`: an answer opened in a browser loads nothing and frames nowhere;
 * - `Cache-Control: no-store` on every answer but the public OpenAPI document: nothing of a
 *   tenant's is kept by a browser, a proxy or a CDN;
 * - `Strict-Transport-Security` when the request came over TLS (directly, or as the trusted
 *   ingress hop says in X-Forwarded-Proto): browsers then never use plain HTTP for the host.
 * Koa sets no `X-Powered-By`, and nothing here adds one.
 */
export function securityHeaders(options: { publicPaths: readonly string[] }): Middleware {
  const cacheable = new Set(options.publicPaths);
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } finally {
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      ctx.set('Referrer-Policy', 'no-referrer');
      if (!cacheable.has(ctx.path) || ctx.status >= 400) ctx.set('Cache-Control', 'no-store');
      // ctx.secure reads X-Forwarded-Proto only when the app trusts a proxy (TRUST_PROXY_HOPS).
      if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
}
