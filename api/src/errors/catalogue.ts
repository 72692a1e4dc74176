/**
 * Every error the API answers with, declared once: a stable code (also the last segment of the
 * problem `type` URI), the HTTP status and a title safe to show to any client.
 */
export const problems = {
  'malformed-request': { status: 400, title: 'The request could not be parsed' },
  'validation-failed': { status: 422, title: 'The request does not match the schema' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'tenant-required': {
    status: 400,
    title: 'No tenant given: use a tenant subdomain, X-Tenant-ID or a tenant token',
  },
  'tenant-mismatch': { status: 400, title: 'The tenant named by the host and by X-Tenant-ID differ' },
  'tenant-not-found': { status: 404, title: 'No such tenant' },
  'tenant-lookups-throttled': {
    status: 429,
    title: 'Too many look-ups of unknown tenants from your address: wait before trying again',
    headers: ['Retry-After'],
  },
  'tenant-gone': { status: 410, title: 'This tenant has been deleted' },
  'tenant-suspended': { status: 403, title: 'This tenant is suspended' },
  'tenant-provisioning': {
    status: 503,
    title: 'This tenant is still being provisioned',
    headers: ['Retry-After'],
  },
  'tenant-moving': {
    status: 503,
    title: 'This tenant is being moved to another database cluster',
    headers: ['Retry-After'],
  },
  unauthenticated: { status: 401, title: 'An access token is required', headers: ['WWW-Authenticate'] },
  'invalid-token': { status: 401, title: 'The access token is invalid or expired' },
  'token-tenant-mismatch': { status: 401, title: 'The access token was not issued for this tenant' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  'password-change-required': {
    status: 403,
    title: 'Change your password first (POST /v1/me/password): until then this account can do nothing else',
  },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', headers: ['Allow'] },
  'cors-origin-not-allowed': {
    status: 403,
    title: 'This origin may not call the API for this tenant (CORS)',
  },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'attempt-limit-reached': { status: 422, title: 'No attempts left at this assignment' },
  'assignment-limit-reached': { status: 422, title: 'This course has as many assignments as it may have' },
  'enrollment-limit-reached': { status: 422, title: 'This account has as many enrollments as it may have' },
  'precondition-failed': { status: 412, title: 'The resource changed since you read it: fetch it again' },
  'precondition-required': {
    status: 428,
    title: 'Send If-Match with the ETag of the version you are changing',
  },
  'unsupported-media-type': { status: 415, title: 'Send the request body as application/json' },
  'idempotency-key-invalid': {
    status: 400,
    title: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'This Idempotency-Key was sent with another request: use a new key for a new request',
  },
  'idempotency-key-in-use': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being served: retry after a while',
    headers: ['Retry-After'],
  },
  'invalid-credentials': { status: 401, title: 'The e-mail or password is wrong' },
  'login-throttled': {
    status: 429,
    title: 'Too many failed logins: wait before trying again',
    headers: ['Retry-After'],
  },
  'login-unavailable': {
    status: 503,
    title: 'Logins cannot be checked right now: retry shortly',
    headers: ['Retry-After'],
  },
  'refresh-token-invalid': { status: 401, title: 'The refresh token is invalid, expired or revoked' },
  'rate-limited': { status: 429, title: 'Too many requests for this tenant', headers: ['Retry-After'] },
  'cluster-unavailable': {
    status: 503,
    title: "The tenant's database cluster is unavailable",
    headers: ['Retry-After'],
  },
  'capacity-exhausted': {
    status: 503,
    title: 'No database connections are free for this cluster',
    headers: ['Retry-After'],
  },
  'registry-unavailable': {
    status: 503,
    title: 'Tenants cannot be looked up right now: retry shortly',
    headers: ['Retry-After'],
  },
  'deadline-exceeded': {
    status: 503,
    title: 'The request could not be completed in time: retry shortly',
    headers: ['Retry-After'],
  },
  overloaded: {
    status: 503,
    title: 'This instance is serving as many requests as it can: retry shortly',
    headers: ['Retry-After'],
  },
  draining: { status: 503, title: 'This instance is shutting down' },
  'revocation-check-unavailable': {
    status: 503,
    title: 'Access tokens cannot be checked right now: retry shortly',
    headers: ['Retry-After'],
  },
  internal: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string; headers?: readonly ProblemHeader[] }>;

export type ProblemCode = keyof typeof problems;

/** Response headers a problem always carries (documented with its status in the OpenAPI document). */
export type ProblemHeader = 'Retry-After' | 'WWW-Authenticate' | 'Allow';

export const PROBLEM_TYPE_BASE = 'https://atrium.dev/problems/';

/** One issue of a failed validation, as zod reports it. */
export interface ProblemIssue {
  path: Array<string | number>;
  code: string;
  message: string;
}

/**
 * An error the API means to show. `detail` must be safe for any client: never a URI, a secret
 * or another tenant's data. Anything that is not an ApiProblem becomes `internal`.
 */
export class ApiProblem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly issues: ProblemIssue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    options: {
      detail?: string;
      issues?: ProblemIssue[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(options.detail ?? problems[code].title, { cause: options.cause });
    this.name = 'ApiProblem';
    this.code = code;
    this.status = problems[code].status;
    this.detail = options.detail;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  issues?: ProblemIssue[];
}

export function problemBody(problem: ApiProblem, requestId?: string): ProblemBody {
  return {
    type: PROBLEM_TYPE_BASE + problem.code,
    title: problems[problem.code].title,
    status: problem.status,
    code: problem.code,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(requestId ? { instance: `urn:atrium:request:${requestId}` } : {}),
    ...(problem.issues ? { issues: problem.issues } : {}),
  };
}
