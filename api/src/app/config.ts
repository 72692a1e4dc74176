import { z } from 'zod';
import { RedisAuthEnv } from '../../../contract/src/redis/auth.ts';
import { CorsOrigins, Plan } from '../../../contract/src/registry/schema.ts';

const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Requests per window for each plan; a plan missing here is not limited. */
const PlanLimits = z.partialRecord(Plan, z.number().int().min(1));

/**
 * The API's configuration, read from the environment once at start. A bad value stops the process
 * with a message naming the variable (see `loadConfig`).
 */
export const ConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default('0.0.0.0'),
    /** /healthz, /readyz and /metrics: for the kubelet and Prometheus, never for clients. */
    OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9090),
    OPS_HOST: z.string().default('0.0.0.0'),
    /** Tenants are `<subdomain>.<BASE_DOMAIN>`; empty disables subdomain resolution. */
    BASE_DOMAIN: z
      .string()
      .regex(/^([a-z0-9-]+\.)*[a-z0-9-]+$/i, 'a domain such as lms.example.com')
      .or(z.literal(''))
      .default(''),
    REGISTRY_MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI'),
    REGISTRY_DATABASE: z.string().min(1).default('atrium_system'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
    ...RedisAuthEnv,
    /** `kid=base64key,...[;primary=kid]`; or ATRIUM_REGISTRY_KEYS_DIR, a mounted Secret. */
    ATRIUM_REGISTRY_KEYS: z.string().optional(),
    ATRIUM_REGISTRY_KEYS_DIR: z.string().optional(),
    /**
     * URIs the API's shared pools use per cluster, when not taken from the registry's cluster
     * records: a JSON object {"cluster-name": "mongodb://…"} or a mounted Secret directory with one
     * file per cluster name.
     */
    CLUSTER_URIS: z
      .string()
      .default('{}')
      .transform((text, ctx) => {
        try {
          return z.record(z.string(), z.string().regex(/^mongodb(\+srv)?:\/\//)).parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'JSON object of cluster name → mongodb:// URI' });
          return z.NEVER;
        }
      }),
    CLUSTER_URIS_DIR: z.string().optional(),
    /** How many of the busiest tenants (by request rate, and by error rate) get series of their own. */
    TOP_TENANTS: z.coerce.number().int().min(0).max(100).default(10),
    /** Half-life of the busiest tenants' decayed rates. */
    TOP_TENANTS_HALF_LIFE_MS: positive(60_000),
    /** Browser origins allowed for every tenant (CORS), comma-separated; each tenant adds its own. */
    CORS_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((text) =>
        text
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(CorsOrigins),
    /** How often CLUSTER_URIS_DIR is re-read: a rotated credential reaches the pools this late at most. */
    CLUSTER_URIS_REFRESH_MS: positive(10_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    /**
     * Every request is answered within this long of its start: each database, registry and Redis
     * wait made for it gets what is left, and what is still waiting at the end is abandoned (503).
     */
    REQUEST_DEADLINE_MS: positive(10_000),
    /** How long an Idempotency-Key and the answer to its request are kept (default 24 h). */
    IDEMPOTENCY_KEY_TTL_MS: positive(86_400_000),
    /** Requests one pod serves at once; past that, 503 `overloaded` at once (load shedding). */
    MAX_IN_FLIGHT: positive(256),
    /** A client must send a request's headers within this long (slowloris), … */
    HTTP_HEADERS_TIMEOUT_MS: positive(10_000),
    /** …its headers and body within this long (a trickled body is cut off with 408), … */
    HTTP_REQUEST_TIMEOUT_MS: positive(30_000),
    /**
     * …and an idle keep-alive connection is closed after this long. Longer than the idle timeout of
     * the proxy in front (ingress-nginx: 60 s), so the proxy, not the pod, closes idle connections.
     */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: positive(65_000),
    /** Largest request body read (JSON); larger ones get 413 before they are read. */
    REQUEST_BODY_MAX_BYTES: positive(1024 * 1024),

    TENANT_CACHE_MAX: positive(10_000),
    TENANT_CACHE_TTL_MS: ms(30_000),
    TENANT_NEGATIVE_TTL_MS: ms(5_000),
    TENANT_REDIS_TTL_MS: ms(60_000),
    /** While the registry cannot be read, a tenant held in memory is served this long past its TTL. */
    TENANT_STALE_IF_ERROR_MS: ms(300_000),
    /** Unknown tenant names held in process memory, apart from the tenants. */
    TENANT_NEGATIVE_CACHE_MAX: positive(1_000),
    /** Look-ups of unknown tenant names one client address may cause per window, per pod. */
    TENANT_LOOKUPS_PER_ADDRESS: positive(100),
    TENANT_LOOKUP_WINDOW_MS: positive(60_000),
    /** Verified access tokens are remembered up to this many bytes (a few hundred bytes each). */
    TOKEN_CACHE_MAX_BYTES: positive(8 * 1024 * 1024),

    /** Connections one pod may open to one cluster, across its shared and dedicated pools. */
    POOL_BUDGET_PER_CLUSTER: positive(50),
    POOL_SHARED_MAX: positive(20),
    POOL_DEDICATED_MAX: positive(5),
    POOL_MAX_IDLE_MS: ms(60_000),
    POOL_WAIT_QUEUE_TIMEOUT_MS: ms(2_000),
    POOL_SERVER_SELECTION_TIMEOUT_MS: ms(2_000),
    /** Opening a database connection (TCP, TLS, handshake), and the monitor's check of a server. */
    POOL_CONNECT_TIMEOUT_MS: positive(2_000),
    /** Tenant handles and pools unused this long are released. */
    HANDLE_IDLE_TTL_MS: ms(300_000),
    HANDLE_MAX: positive(5_000),
    /** Circuit breakers (each cluster, the registry, Redis): consecutive failures that open one, … */
    BREAKER_FAILURES: positive(3),
    /** …and how long it stays open before one request may try again. */
    BREAKER_COOLDOWN_MS: ms(5_000),
    /** A Redis command unanswered this long fails, and the connection is dropped and reopened. */
    REDIS_COMMAND_TIMEOUT_MS: positive(1_000),
    /**
     * The pub/sub connection (invalidations, revocations) is PINGed this often, so a Redis that
     * stops answering is noticed and tokens are refused until the revocations are in sync again.
     */
    REDIS_HEARTBEAT_MS: positive(1_000),

    RATE_LIMIT_WINDOW_MS: positive(60_000),
    RATE_LIMITS: z
      .string()
      .default('{"free":600,"standard":6000,"enterprise":60000}')
      .transform((text, ctx) => {
        try {
          return PlanLimits.parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'JSON object of plan → requests per window' });
          return z.NEVER;
        }
      }),
    /** Most requests of a window a pod takes from Redis at once (it takes 1 % of the limit, at least 1). */
    RATE_LIMIT_BATCH_MAX: positive(100),
    /** Requests without an access token (logins, refreshes) have a budget of this share of the limit. */
    RATE_LIMIT_ANONYMOUS_SHARE: z.coerce.number().gt(0).max(1).default(0.25),
    /** Every pod re-reads the revocation set this often, should a published revocation be lost. */
    REVOCATION_RESYNC_MS: ms(30_000),
    ACCESS_TOKEN_TTL_S: positive(900),
    /** A refresh token's idle lifetime: each rotation issues one that lives this long… */
    REFRESH_TOKEN_TTL_S: positive(30 * 86_400),
    /** …but a session (a login's family of refresh tokens) ends this long after its login. */
    REFRESH_FAMILY_MAX_S: positive(90 * 86_400),
    /** Failed logins one client address may make on one account per window. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: positive(5),
    /** Failed logins on one account from all addresses per window; more than the above, see below. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: positive(50),
    /** Failed logins from one client address over all accounts of a tenant per window. */
    LOGIN_MAX_FAILURES_PER_ADDRESS: positive(100),
    LOGIN_WINDOW_S: positive(900),
    /**
     * Proxies in front of the pods that append the client's address to X-Forwarded-For (an ingress:
     * 1; a CDN in front of it: 2). 0 trusts no X-Forwarded-For: the client is the TCP peer.
     */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Bring a tenant database to the current schema on first use (the operator does it at provisioning). */
    APPLY_MIGRATIONS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /**
     * After SIGTERM the pod reports not ready and keeps serving this long, while the endpoints
     * controller and the proxies stop sending it requests; then it stops listening and drains.
     */
    SHUTDOWN_DRAIN_DELAY_MS: ms(5_000),
    /** In-flight requests get this long to finish after the pod stops listening. */
    SHUTDOWN_DEADLINE_MS: ms(20_000),
    /** Retry-After seconds for tenants still provisioning. */
    PROVISIONING_RETRY_AFTER_S: positive(5),
  })
  .superRefine((config, ctx) => {
    if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS',
      });
    }
    if (config.OPS_PORT === config.PORT && config.PORT !== 0) {
      ctx.addIssue({ code: 'custom', path: ['OPS_PORT'], message: 'must differ from PORT' });
    }
    // Otherwise one address, staying under its own limit, could lock any account for everyone.
    if (config.LOGIN_MAX_FAILURES_PER_ACCOUNT <= config.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOGIN_MAX_FAILURES_PER_ACCOUNT'],
        message: 'must be greater than LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError that names each bad variable and says why. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new ConfigError(
      parsed.error.issues.map((issue) => String(issue.path[0])),
      `invalid configuration\n  ${lines.join('\n  ')}`,
    );
  }
  if (!parsed.data.ATRIUM_REGISTRY_KEYS && !parsed.data.ATRIUM_REGISTRY_KEYS_DIR) {
    throw new ConfigError(
      ['ATRIUM_REGISTRY_KEYS'],
      'invalid configuration\n  ATRIUM_REGISTRY_KEYS: set it (or ATRIUM_REGISTRY_KEYS_DIR) to the registry keyring',
    );
  }
  return parsed.data;
}
