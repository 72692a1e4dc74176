import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../../contract/src/clock.ts';
import { DnsLabel } from '../../../contract/src/registry/index.ts';
import type { VerifiedTokenCache } from '../auth/token-cache.ts';
import type { ConnectionManager } from '../connections/manager.ts';
import type { TenantModels } from '../connections/tenant-models.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { problemMiddleware } from '../errors/middleware.ts';
import { cors, methodsAt } from '../http/cors.ts';
import { Deadline, DeadlineExceeded } from '../http/deadline.ts';
import { IdempotentRequests } from '../http/idempotency.ts';
import { openApiDocument } from '../http/openapi.ts';
import { mountRoutes } from '../http/route.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { securityHeaders } from '../http/security-headers.ts';
import type { BusiestTenants } from '../observability/busiest-tenants.ts';
import type { Metrics } from '../observability/metrics.ts';
import { requestContext } from '../observability/request-context.ts';
import type { TenantDirectory } from '../tenancy/directory.ts';
import type { TenantLookupBudget } from '../tenancy/lookup-budget.ts';
import { tenantContext, tenantDatabase } from '../tenancy/middleware.ts';
import type { TenantRateLimiter } from '../tenancy/rate-limit.ts';
import type { TenantState } from '../tenancy/state.ts';
import { apiRoutes } from './routes.ts';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  directory: TenantDirectory;
  manager: ConnectionManager<TenantModels>;
  rateLimiter: TenantRateLimiter;
  tokens: VerifiedTokenCache;
  lookups: TenantLookupBudget;
  routeDeps: RouteDeps;
  version: string;
  baseDomain: string;
  /** Per-tenant request and error rates of the busiest tenants (bounded). */
  busiestTenants: BusiestTenants;
  /** Browser origins allowed for every tenant besides each tenant's own (CORS_ALLOWED_ORIGINS). */
  corsOrigins: readonly string[];
  /** Proxies whose X-Forwarded-For entries name the client (0: none, the TCP peer is the client). */
  trustProxyHops: number;
  provisioningRetryAfterS: number;
  /** Every request is answered within this long (REQUEST_DEADLINE_MS). */
  requestDeadlineMs: number;
  /** How long an Idempotency-Key and its answer are kept (IDEMPOTENCY_KEY_TTL_MS). */
  idempotencyKeyTtlMs: number;
  /** Requests served at once; more are refused with 503 `overloaded` (MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** Largest request body read (REQUEST_BODY_MAX_BYTES). */
  bodyMaxBytes: number;
  /** Whether the registry and Redis answer; /readyz (on the ops app) reports it. */
  checkReady: () => Promise<Record<string, boolean>>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * How long after its deadline a request's work may take to end by itself (every wait it makes
 * aborts at the deadline and says why) before it is answered 503 `deadline-exceeded` regardless.
 */
const DEADLINE_GRACE_MS = 250;

export interface AtriumApp {
  /** The public app: the LMS and its OpenAPI document, nothing else. */
  app: Koa<TenantState>;
  /** The operations app, for the kubelet and Prometheus on a port of its own: /healthz, /readyz, /metrics. */
  ops: Koa;
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * From now on /readyz fails, so the endpoints controller takes the pod out of its Service; the
   * requests that still arrive meanwhile are served, each answered with `Connection: close` so that
   * clients move their keep-alive connections to other pods.
   */
  startDraining(): void;
  /** Every route the public app serves, as "METHOD /path" in Koa's path syntax. */
  mountedRoutes(): string[];
}

export function createApp(deps: AppDeps): AtriumApp {
  const app = new Koa<TenantState>();
  // ctx.ip is then the address the outermost trusted proxy saw: entries a client wrote are ignored.
  app.proxy = deps.trustProxyHops > 0;
  app.maxIpsCount = deps.trustProxyHops;
  // The access line has fixed fields, none of them secret (the route is the template, never the
  // URL): it skips the redaction every other line goes through.
  const accessLog = deps.logger.child({}, { redact: [] });
  // What Koa could not answer (a client that went away, a body cut off by the request timeout) is
  // a log line, not a stack on stderr.
  app.on('error', (error: { name?: string; code?: string; message?: string }) => {
    deps.logger.debug(
      { err: { name: error.name, code: error.code, message: error.message } },
      'connection error',
    );
  });
  let inFlight = 0;
  let draining = false;
  /** The public routers, once mounted below (for CORS preflights). */
  const routers: Router<TenantState>[] = [];

  // Request id and access log, outermost, so problems rendered below are logged with their status.
  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    inFlight++;
    const started = performance.now();
    const deadline = new Deadline(deps.routeDeps.clock, deps.requestDeadlineMs);
    try {
      await requestContext.run({ requestId: ctx.state.requestId, deadline }, next);
    } finally {
      deadline.cancel();
      inFlight--;
      const seconds = (performance.now() - started) / 1000;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      deps.metrics.requestDuration.observe(
        {
          plan: ctx.state.tenant?.plan ?? 'none',
          route,
          method: ctx.method,
          status: `${Math.floor(ctx.status / 100)}xx`,
        },
        seconds,
      );
      if (ctx.state.tenant)
        deps.busiestTenants.record(ctx.state.tenant.tenantId, { error: ctx.status >= 500, seconds });
      accessLog.info(
        {
          requestId: ctx.state.requestId,
          tenantId: ctx.state.tenant?.tenantId,
          method: ctx.method,
          route,
          status: ctx.status,
          ms: Math.round(seconds * 10_000) / 10,
        },
        'request',
      );
    }
  });
  app.use(securityHeaders({ publicPaths: ['/openapi.json'] }));
  app.use(problemMiddleware(deps.logger));
  app.use(
    cors({
      defaultOrigins: deps.corsOrigins,
      baseDomain: deps.baseDomain,
      tenantOfSubdomain: (subdomain, ctx) =>
        DnsLabel.safeParse(subdomain).success
          ? deps.directory.find({ subdomain }, deps.lookups.guard(ctx.ip))
          : Promise.resolve(null),
      methodsAt: (path) => methodsAt(routers, path),
    }),
  );
  // Load shedding: a pod past its capacity refuses at once (cheaply, before any look-up or body),
  // rather than let every request it holds slow down until all of them miss their deadlines.
  app.use(async (_ctx, next) => {
    if (inFlight > deps.maxInFlight) {
      deps.metrics.shed.inc();
      throw new ApiProblem('overloaded', { headers: { 'Retry-After': '1' } });
    }
    await next();
  });
  // A body announced over the limit is refused before a byte of it is read (whatever its type),
  // and the connection closed rather than drained of it. Bodies without a length are counted as
  // they are read (koa-body below).
  app.use(async (ctx, next) => {
    if (Number(ctx.get('content-length') || 0) > deps.bodyMaxBytes) {
      ctx.set('Connection', 'close');
      throw new ApiProblem('payload-too-large');
    }
    await next();
  });
  app.use(async (ctx, next) => {
    if (draining) ctx.set('Connection', 'close');
    await next();
  });
  app.use(async (ctx, next) => {
    const deadline = requestContext.getStore()?.deadline;
    if (!deadline) return next();
    try {
      await answerByDeadline(next(), deadline, deps.routeDeps.clock, deps.logger);
    } catch (error) {
      // Answered before its body has arrived: close, rather than wait for the rest of it.
      if (!ctx.req.complete) ctx.set('Connection', 'close');
      throw error;
    }
  });

  const routes = apiRoutes(deps.routeDeps);
  const openapi = JSON.stringify(openApiDocument(routes, deps.version));
  const docs = new Router<TenantState>();
  docs.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = openapi;
  });
  app.use(docs.routes());

  const tenant = new Router<TenantState>();
  tenant.use(
    tenantContext({
      directory: deps.directory,
      rateLimiter: deps.rateLimiter,
      revocations: deps.routeDeps.revocations,
      metrics: deps.metrics,
      baseDomain: deps.baseDomain,
      provisioningRetryAfterS: deps.provisioningRetryAfterS,
      clock: deps.routeDeps.clock,
      tokens: deps.tokens,
      lookups: deps.lookups,
    }),
  );
  const idempotency = new IdempotentRequests({
    clock: deps.routeDeps.clock,
    ttlMs: deps.idempotencyKeyTtlMs,
    requestDeadlineMs: deps.requestDeadlineMs,
  });
  mountRoutes(tenant, routes, tenantDatabase(deps.manager), idempotency);

  app.use(
    koaBody({
      jsonLimit: deps.bodyMaxBytes,
      text: false,
      urlencoded: false,
      multipart: false,
      onError: (error) => {
        const status = (error as { status?: number }).status;
        if (status === 413) throw new ApiProblem('payload-too-large', { headers: { Connection: 'close' } });
        throw new ApiProblem('malformed-request', { detail: 'The body is not valid JSON', cause: error });
      },
    }),
  );
  app.use(tenant.routes());
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      // The router answers a method the path does not serve with 405 (501 for one it knows not at
      // all): either way a 405 that names the methods the path does serve (RFC 9110).
      const status = (error as { status?: number }).status;
      if (status !== 405 && status !== 501) throw error;
      throw new ApiProblem('method-not-allowed', {
        headers: { Allow: methodsAt(routers, ctx.path).join(', ') },
      });
    }
    // The router answers OPTIONS itself: with the same methods.
    if (ctx.method === 'OPTIONS' && ctx.response.get('Allow')) {
      ctx.set('Allow', methodsAt(routers, ctx.path).join(', '));
    }
  });
  app.use(tenant.allowedMethods({ throw: true }));
  routers.push(docs, tenant);

  return {
    app,
    ops: opsApp(deps),
    inFlight: () => inFlight,
    mountedRoutes: () =>
      [docs, tenant].flatMap((router) =>
        router.stack.flatMap((layer) =>
          layer.methods.filter((m) => m !== 'HEAD').map((method) => `${method} ${String(layer.path)}`),
        ),
      ),
    startDraining: () => {
      draining = true;
      deps.checkReady = async () => ({ draining: false });
    },
  };
}

/**
 * The request's work, or a `DeadlineExceeded` if it has not ended `DEADLINE_GRACE_MS` after the
 * deadline. Normally the work ends first: its waits abort at the deadline with an error that says
 * what it was waiting for (a cluster, the registry), and that is what the client is told. What is
 * left behind cannot write to a response that has been sent; its end is logged at debug.
 */
function answerByDeadline(
  work: Promise<void>,
  deadline: Deadline,
  clock: Clock,
  logger: Logger,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let backstop: Timer | undefined;
    const signal = deadline.signal();
    const onDeadline = () => {
      backstop = clock.setTimeout(() => {
        settled = true;
        reject(new DeadlineExceeded(undefined));
      }, DEADLINE_GRACE_MS);
    };
    if (signal.aborted) onDeadline();
    else signal.addEventListener('abort', onDeadline, { once: true });
    const end = (outcome: () => void, error?: unknown) => {
      signal.removeEventListener('abort', onDeadline);
      backstop?.cancel();
      if (!settled) {
        settled = true;
        outcome();
      } else logger.debug({ err: error }, 'work of a request answered at its deadline ended');
    };
    work.then(
      () => end(resolve),
      (error: unknown) => end(() => reject(error), error),
    );
  });
}

/**
 * What the platform asks of a pod, apart from what clients may reach: liveness, readiness (registry
 * and Redis answer, revocations in sync; 503 while draining) and Prometheus metrics (cluster names,
 * plans, routes). Served on OPS_PORT, which the chart exposes to the kubelet and the ServiceMonitor
 * only, never through the Service an ingress routes to.
 */
function opsApp(deps: Pick<AppDeps, 'metrics' | 'checkReady'>): Koa {
  const ops = new Koa();
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    // Read through deps at each probe: startDraining replaces checkReady.
    const checks = await deps.checkReady();
    const ready = Object.values(checks).every(Boolean);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  ops.use(router.routes());
  return ops;
}
