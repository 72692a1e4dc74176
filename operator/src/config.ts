import { hostname } from 'node:os';
import type { RedisOptions } from 'ioredis';
import type { MongoClientOptions } from 'mongodb';
import { z } from 'zod';
import { type RedisAuth, RedisAuthEnv, redisAuthOptions } from '../../contract/src/redis/auth.ts';

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * The operator's configuration, from the environment, parsed once at start. A bad value stops the
 * process with a message naming the variable, never echoing its value (it may be a secret).
 */
export const OperatorConfigSchema = z.object({
  /** Path to a kubeconfig; unset means in-cluster (the ServiceAccount token). */
  KUBECONFIG: z.string().optional(),
  REGISTRY_MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI'),
  REGISTRY_DATABASE: z.string().min(1).default('atrium_system'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  ...RedisAuthEnv,
  /** `kid=base64key,...[;primary=kid]`; or ATRIUM_REGISTRY_KEYS_DIR, a mounted Secret. */
  ATRIUM_REGISTRY_KEYS: z.string().optional(),
  ATRIUM_REGISTRY_KEYS_DIR: z.string().optional(),
  /** The operator's own namespace: its Lease lives here. */
  POD_NAMESPACE: z.string().min(1).default('atrium-system'),
  /** This replica's identity in the Lease. */
  POD_NAME: z.string().min(1).default(hostname()),
  /** Watch Tenants in one namespace only; unset for all. */
  WATCH_NAMESPACE: z.string().optional(),
  /** Manage only MongoClusters matching this label selector (several operators, one API server). */
  MONGOCLUSTER_SELECTOR: z.string().optional(),
  /** Manage only Tenants matching this label selector. */
  TENANT_SELECTOR: z.string().optional(),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  HTTP_HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  RESYNC_MS: ms(10 * 60_000),
  RELIST_MS: ms(30 * 60_000),
  CLUSTER_PROBE_MS: ms(60_000),
  /** How long an operation may wait on a MongoDB cluster (or the registry) that stopped answering. */
  CLUSTER_SOCKET_TIMEOUT_MS: ms(20_000),
  REGISTRY_SOCKET_TIMEOUT_MS: ms(10_000),
  /** How long one request to the Kubernetes API server may take (watches excepted). */
  KUBE_REQUEST_TIMEOUT_MS: ms(15_000),
  /** How long a Redis command (an invalidation publish) may take; unpublished ones are retried. */
  REDIS_COMMAND_TIMEOUT_MS: ms(2_000),
  /**
   * A move waits this long after the API is told to stop serving the tenant, before copying its
   * database: longer than the API's in-process tenant cache TTL (TENANT_CACHE_TTL_MS, 30 s) plus
   * its longest request, so a pod that missed the message has stopped too.
   */
  MOVE_DRAIN_MS: ms(45_000),
  /**
   * How long both database credentials work during a rotation: longer than the API's tenant
   * caches (TENANT_CACHE_TTL_MS 30 s in memory, TENANT_REDIS_TTL_MS 60 s in Redis) plus a request.
   */
  CREDENTIAL_OVERLAP_MS: ms(120_000),
  /** How long tokens signed with a rotated-out key keep verifying: longer than ACCESS_TOKEN_TTL_S (15 min). */
  SIGNING_KEY_OVERLAP_MS: ms(20 * 60_000),
  LEASE_NAME: z.string().min(1).default('atrium-operator'),
  LEASE_DURATION_MS: ms(15_000),
  LEASE_RENEW_DEADLINE_MS: ms(10_000),
  LEASE_RETRY_MS: ms(2_000),
  /** Readiness fails when the informers heard nothing from the API server for this long. */
  STALL_AFTER_MS: ms(60 * 60_000),
  SHUTDOWN_TIMEOUT_MS: ms(30_000),
});

export type OperatorConfig = z.infer<typeof OperatorConfigSchema>;

/** The registry client's options: a registry that stops answering fails an operation in bounded time. */
export function registryClientOptions(
  config: Pick<OperatorConfig, 'REGISTRY_SOCKET_TIMEOUT_MS'>,
): MongoClientOptions {
  // Reaching the registry (selection, the connection handshake, a pooled connection) within 5 s
  // each, an answer within REGISTRY_SOCKET_TIMEOUT_MS: the driver's defaults wait 30 s for a
  // handshake and forever for a pooled connection.
  return {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    waitQueueTimeoutMS: 5_000,
    socketTimeoutMS: config.REGISTRY_SOCKET_TIMEOUT_MS,
    maxPoolSize: 10,
  };
}

/**
 * The Redis client's options: one that is down or stalled fails a publish in bounded time (no
 * offline queue, a command timeout); the invalidation outbox retries it.
 */
export function redisClientOptions(
  config: Pick<OperatorConfig, 'REDIS_COMMAND_TIMEOUT_MS'> & RedisAuth,
): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    ...redisAuthOptions(config),
  };
}

export class ConfigError extends Error {}

export function loadOperatorConfig(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  const parsed = OperatorConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid operator configuration: ${problems}`);
  }
  if (!parsed.data.ATRIUM_REGISTRY_KEYS && !parsed.data.ATRIUM_REGISTRY_KEYS_DIR) {
    throw new ConfigError(
      'invalid operator configuration: set ATRIUM_REGISTRY_KEYS or ATRIUM_REGISTRY_KEYS_DIR',
    );
  }
  const { LEASE_DURATION_MS: duration, LEASE_RENEW_DEADLINE_MS: renew, LEASE_RETRY_MS: retry } = parsed.data;
  // As client-go demands: a leader must give up before its lease can expire elsewhere.
  if (!(duration > renew && renew > retry)) {
    throw new ConfigError(
      'invalid operator configuration: need LEASE_DURATION_MS > LEASE_RENEW_DEADLINE_MS > LEASE_RETRY_MS',
    );
  }
  return parsed.data;
}
