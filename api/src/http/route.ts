import type Router from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import { type ZodType, z } from 'zod';
import type { Role } from '../../../contract/src/tenant-db/index.ts';
import { ApiProblem, type ProblemCode, problems } from '../errors/catalogue.ts';
import { validationProblem } from '../errors/middleware.ts';
import type { TenantState } from '../tenancy/state.ts';
import type { IdempotentRequests } from './idempotency.ts';
import { randomIds } from './request-ids.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone who named the tenant, or a verified token with one of these roles. */
export type Access = 'tenant' | readonly Role[];

export interface ResponseSpec {
  description: string;
  schema?: ZodType;
  headers?: Record<string, string>;
}

/**
 * One API operation, declared once: the router mounts it, zod parses its inputs, the OpenAPI
 * document is generated from it. Handlers receive inputs already parsed and typed.
 */
export interface RouteSpec<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends ZodType = ZodType,
> {
  method: HttpMethod;
  /** OpenAPI-style path: /v1/courses/{courseId} */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  /**
   * Whether an account that must change its password may call it (default false: such an
   * account's tokens can only read the account and change the password).
   */
  allowedBeforePasswordChange?: boolean;
  /** Whether the handler needs the tenant database (default true). */
  database?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the route reads (documented, e.g. If-Match). */
  headers?: z.ZodObject;
  /**
   * Whether a client may send an Idempotency-Key to make retries safe (default: every POST, the
   * routes that create). Off for POSTs that create nothing to replay, or whose answer is a secret.
   */
  idempotent?: boolean;
  responses: Record<number, ResponseSpec>;
  /** Problems the route may answer with besides the ones every tenant route can give. */
  problems?: ProblemCode[];
  handler: (
    ctx: ParameterizedContext<TenantState>,
    input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> },
  ) => Promise<void> | void;
}

export function defineRoute<P extends z.ZodObject, Q extends z.ZodObject, B extends ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

function parse<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problem = validationProblem(result.error);
  problem.issues?.forEach((issue) => {
    issue.path.unshift(where);
  });
  throw problem;
}

/**
 * The answer to a path whose parameters fail their schema: 404, unless it is the literal path of
 * another route (PATCH /v1/users/import), which is served, only not with this method: 405.
 */
function notServed(ctx: ParameterizedContext<TenantState>): ApiProblem {
  // The router's layers whose path matched, whatever their method.
  const matched = (ctx as { matched?: Array<{ methods: string[]; paramNames: unknown[] }> }).matched ?? [];
  const literal = matched.filter((layer) => layer.methods.length && !layer.paramNames.length);
  if (!literal.length) return new ApiProblem('not-found');
  const allow = [...new Set(literal.flatMap((layer) => layer.methods))].sort();
  return new ApiProblem('method-not-allowed', { headers: { Allow: allow.join(', ') } });
}

/** The parsed JSON body of a route that takes one: a body of another type is 415, none at all 422. */
function jsonBody(ctx: ParameterizedContext<TenantState>): unknown {
  if (!ctx.request.length && ctx.get('transfer-encoding') === '') {
    throw new ApiProblem('validation-failed', {
      issues: [{ path: ['body'], code: 'invalid_type', message: 'a JSON body is required' }],
    });
  }
  if (!ctx.request.is('application/json')) throw new ApiProblem('unsupported-media-type');
  return ctx.request.body;
}

function requireAccess(route: RouteSpec): Middleware<TenantState> {
  const { access } = route;
  return async (ctx, next) => {
    if (access !== 'tenant') {
      const principal = ctx.state.principal;
      if (!principal) throw new ApiProblem('unauthenticated', { headers: { 'WWW-Authenticate': 'Bearer' } });
      if (!principal.roles.some((r) => access.includes(r))) throw new ApiProblem('forbidden');
      if (principal.mustChangePassword && !route.allowedBeforePasswordChange) {
        throw new ApiProblem('password-change-required');
      }
    }
    await next();
  };
}

export function isIdempotent(route: RouteSpec): boolean {
  return route.idempotent ?? route.method === 'post';
}

/**
 * Mounts routes on a router; `database` is the middleware that checks out the tenant database,
 * `idempotency` runs the handlers of routes that take an Idempotency-Key.
 */
export function mountRoutes(
  router: Router<TenantState>,
  routes: readonly RouteSpec[],
  database: Middleware<TenantState>,
  idempotency: IdempotentRequests,
): void {
  for (const route of routes) {
    const koaPath = route.path.replace(/\{(\w+)\}/g, ':$1');
    const chain: Middleware<TenantState>[] = [requireAccess(route)];
    if (route.database !== false) chain.push(database);
    chain.push(async (ctx) => {
      // Path parameters that fail their schema name a resource that cannot exist.
      const params = route.params?.safeParse(ctx.params);
      if (params && !params.success) throw notServed(ctx);
      // Every input is validated before any precondition (If-Match) or state is looked at. A
      // declared header that is required but absent is left to the route (If-Match: 428).
      parse(route.headers?.partial(), ctx.headers, 'header');
      const input = {
        params: params?.data,
        query: parse(route.query, ctx.query, 'query'),
        body: parse(route.body, route.body ? jsonBody(ctx) : undefined, 'body'),
      };
      ctx.state.ids = randomIds;
      if (isIdempotent(route) && route.database !== false) {
        await idempotency.serve(ctx, route, input, () => route.handler(ctx, input as never));
      } else await route.handler(ctx, input as never);
    });
    router[route.method](route.operationId, koaPath, ...(chain as Middleware[]));
  }
}

/** RFC 9457 problem body, as documented in the OpenAPI document. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.enum(Object.keys(problems) as [ProblemCode, ...ProblemCode[]]),
    detail: z.string().optional(),
    instance: z.string().optional(),
    issues: z
      .array(
        z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });
