import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { type ProblemCode, problems } from '../errors/catalogue.ts';
import { IdempotencyKeyHeader } from './idempotency.ts';
import { isIdempotent, ProblemSchema, type RouteSpec } from './route.ts';

/** Problems every tenant route can answer with, whatever it does. */
const TENANT_PROBLEMS: ProblemCode[] = [
  'malformed-request',
  'tenant-required',
  'tenant-mismatch',
  'tenant-not-found',
  'tenant-lookups-throttled',
  'tenant-gone',
  'tenant-suspended',
  'tenant-provisioning',
  'tenant-moving',
  'rate-limited',
  'internal',
];
const AUTH_PROBLEMS: ProblemCode[] = [
  'unauthenticated',
  'invalid-token',
  'token-tenant-mismatch',
  'revocation-check-unavailable',
  'forbidden',
];
const DATABASE_PROBLEMS: ProblemCode[] = ['cluster-unavailable', 'capacity-exhausted'];
const IDEMPOTENCY_PROBLEMS: ProblemCode[] = [
  'idempotency-key-invalid',
  'idempotency-key-reused',
  'idempotency-key-in-use',
];

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
      ...(route.query || route.body ? (['validation-failed'] as const) : []),
      ...(route.body ? (['payload-too-large'] as const) : []),
      ...(idempotent ? IDEMPOTENCY_PROBLEMS : []),
      ...(route.problems ?? []),
    ]);
    const responses: Record<string, ZodOpenApiResponseObject> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const responseHeaders = {
        ...spec.headers,
        ...(idempotent && status.startsWith('2')
          ? {
              'Idempotent-Replayed': '"true" when this is the answer to an earlier request with the same key',
            }
          : {}),
      };
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { 'application/json': { schema: spec.schema } } } : {}),
        ...(Object.keys(responseHeaders).length
          ? {
              headers: Object.fromEntries(
                Object.entries(responseHeaders).map(([name, description]) => [
                  name,
                  { description, schema: { type: 'string' } },
                ]),
              ),
            }
          : {}),
      };
    }
    for (const code of codes) {
      const status = String(problems[code].status);
      const existing = responses[status];
      const description = existing ? `${existing.description}; ${code}` : code;
      responses[status] = {
        description,
        content: { 'application/problem+json': { schema: ProblemSchema } },
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
