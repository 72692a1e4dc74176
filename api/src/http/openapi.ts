import { type ZodType, z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { type ProblemCode, problems } from '../errors/catalogue.ts';
import { IdempotencyKeyHeader } from './idempotency.ts';
import { isIdempotent, ProblemSchema, type RouteSpec } from './route.ts';

/** Problems every tenant route can answer with, whatever it does (a token is checked when sent). */
const TENANT_PROBLEMS: ProblemCode[] = [
  'malformed-request',
  'payload-too-large',
  'tenant-required',
  'tenant-mismatch',
  'tenant-not-found',
  'tenant-lookups-throttled',
  'tenant-gone',
  'tenant-suspended',
  'tenant-provisioning',
  'tenant-moving',
  'rate-limited',
  'registry-unavailable',
  'invalid-token',
  'token-tenant-mismatch',
  'revocation-check-unavailable',
  'deadline-exceeded',
  'overloaded',
  'internal',
];
const AUTH_PROBLEMS: ProblemCode[] = ['unauthenticated', 'forbidden'];
const DATABASE_PROBLEMS: ProblemCode[] = ['cluster-unavailable', 'capacity-exhausted', 'draining'];
const IDEMPOTENCY_PROBLEMS: ProblemCode[] = [
  'idempotency-key-invalid',
  'idempotency-key-reused',
  'idempotency-key-in-use',
];

/** What the response headers the API sets mean. */
const HEADER_DESCRIPTIONS: Record<string, string> = {
  'Retry-After': 'Seconds to wait before trying again',
  'WWW-Authenticate': 'The authentication scheme: Bearer',
  Allow: 'The methods this path serves',
  RateLimit:
    "The tenant's remaining requests in this window and seconds until it resets (IETF RateLimit fields)",
  'RateLimit-Policy': "The tenant's request quota and its window",
};
const RATE_LIMIT_HEADERS = ['RateLimit', 'RateLimit-Policy'];

type ResponseHeaders = Record<string, { description: string; schema: { type: 'string' } }>;
const describeHeaders = (names: Record<string, string>): ResponseHeaders =>
  Object.fromEntries(
    Object.entries(names).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
  );
/** Where a created resource's id is in the body answering its creation: `id`, or `<field>.id`. */
function idPointer(schema: ZodType | undefined): string | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  if ('id' in schema.shape) return '/id';
  for (const [field, value] of Object.entries(schema.shape)) {
    if (value instanceof z.ZodObject && 'id' in value.shape) return `/${field}/id`;
  }
  return undefined;
}

/**
 * OpenAPI links from a creating POST to every operation under the resource it created
 * (POST /v1/courses → GET /v1/courses/{courseId}, POST /v1/courses/{courseId}/lessons, …): the new
 * id fills the operation's first parameter after the collection, the request's own path parameters
 * the rest, so clients and stateful testers can follow what a creation returned.
 */
function creationLinks(route: RouteSpec, routes: readonly RouteSpec[]) {
  const pointer = route.method === 'post' ? idPointer(route.responses[201]?.schema) : undefined;
  if (!pointer) return undefined;
  const own = Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, `$request.path.${name}`]),
  );
  const links: Record<string, { operationId: string; parameters: Record<string, string> }> = {};
  const under = `${route.path}/{`;
  for (const target of routes) {
    if (!target.path.startsWith(under)) continue;
    const id = target.path.slice(under.length).split('}')[0] as string;
    links[target.operationId] = {
      operationId: target.operationId,
      parameters: { ...own, [id]: `$response.body#${pointer}` },
    };
  }
  return Object.keys(links).length ? links : undefined;
}

/** The OpenAPI 3.1 document of the API, generated from the same route specs and zod schemas that serve it. */
export function openApiDocument(
  routes: readonly RouteSpec[],
  version: string,
): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const idempotent = isIdempotent(route);
    const headers = idempotent
      ? (route.headers?.extend(IdempotencyKeyHeader.shape) ?? IdempotencyKeyHeader)
      : route.headers;
    const codes = new Set<ProblemCode>([
      ...TENANT_PROBLEMS,
      ...(route.access === 'tenant' ? [] : AUTH_PROBLEMS),
      ...(route.access === 'tenant' || route.allowedBeforePasswordChange
        ? []
        : (['password-change-required'] as const)),
      ...(route.database === false ? [] : DATABASE_PROBLEMS),
      ...(route.params ? (['not-found'] as const) : []),
      ...(route.query || route.body || route.headers ? (['validation-failed'] as const) : []),
      ...(route.body ? (['unsupported-media-type'] as const) : []),
      ...(idempotent ? IDEMPOTENCY_PROBLEMS : []),
      ...(route.problems ?? []),
    ]);
    const responses: Record<string, ZodOpenApiResponseObject> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const responseHeaders: Record<string, string> = {
        ...spec.headers,
        ...(idempotent && status.startsWith('2')
          ? {
              'Idempotent-Replayed': '"true" when this is the answer to an earlier request with the same key',
            }
          : {}),
      };
      for (const name of RATE_LIMIT_HEADERS) responseHeaders[name] = HEADER_DESCRIPTIONS[name] as string;
      const links = status === '201' ? creationLinks(route, routes) : undefined;
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { 'application/json': { schema: spec.schema } } } : {}),
        headers: describeHeaders(responseHeaders),
        ...(links ? { links } : {}),
      };
    }
    // Problems sharing a status share one response: its headers are those any of them may carry
    // (none is marked required, since another problem of the status may come without it).
    const problemHeaders = new Map<string, Record<string, string>>();
    for (const code of codes) {
      const problem: { status: number; headers?: readonly string[] } = problems[code];
      const status = String(problem.status);
      const existing = responses[status];
      const description = existing ? `${existing.description}; ${code}` : code;
      const headers = problemHeaders.get(status) ?? {};
      for (const name of [...RATE_LIMIT_HEADERS, ...(problem.headers ?? [])]) {
        headers[name] = HEADER_DESCRIPTIONS[name] as string;
      }
      problemHeaders.set(status, headers);
      responses[status] = {
        description,
        content: { 'application/problem+json': { schema: ProblemSchema } },
        headers: describeHeaders(headers),
      };
    }
    const operation: ZodOpenApiOperationObject = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.access === 'tenant' ? {} : { security: [{ bearer: [] }] }),
      ...(route.params || route.query || headers
        ? {
            requestParams: {
              ...(route.params ? { path: route.params } : {}),
              ...(route.query ? { query: route.query } : {}),
              ...(headers ? { header: headers } : {}),
            },
          }
        : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
        : {}),
      responses: responses as ZodOpenApiOperationObject['responses'],
    };
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Atrium LMS API',
      version,
      description:
        'Multi-tenant LMS. Name the tenant by its subdomain (Host), the X-Tenant-ID header or the tenant of your access token; when several are given they must agree. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  });
}
