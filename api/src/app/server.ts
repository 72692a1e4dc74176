import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { MongoClient } from 'mongodb';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../../../contract/src/clock.ts';
import { redisAuthOptions } from '../../../contract/src/redis/auth.ts';
import {
  CachedRecordSealer,
  Keyring,
  RegistryCipher,
  TenantRegistry,
} from '../../../contract/src/registry/index.ts';
import { applyMigrations } from '../../../contract/src/tenant-db/index.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { AccountRevocations } from '../auth/revocations.ts';
import { VerifiedTokenCache } from '../auth/token-cache.ts';
import { CircuitBreaker } from '../connections/breaker.ts';
import { ClusterURIs } from '../connections/cluster-uris.ts';
import { boundByRequestDeadline } from '../connections/deadline-db.ts';
import { ConnectionManager } from '../connections/manager.ts';
import { compileTenantModels, type TenantModels } from '../connections/tenant-models.ts';
import { Deadline } from '../http/deadline.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { BusiestTenants } from '../observability/busiest-tenants.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { TenantDirectory } from '../tenancy/directory.ts';
import { TenantLookupBudget } from '../tenancy/lookup-budget.ts';
import { TenantRateLimiter } from '../tenancy/rate-limit.ts';
import { type AtriumApp, createApp } from './app.ts';
import type { Config } from './config.ts';

export const API_VERSION = '0.1.0';

/** How long /readyz waits for the registry and Redis to answer. */
const READINESS_PROBE_MS = 800;

/** How long shutdown waits for each client to close: a dependency that is gone must not keep the pod. */
const CLOSE_STEP_MS = 2_000;

export interface RunningApi {
  /** The public port: the LMS and /openapi.json. */
  readonly url: string;
  readonly server: Server;
  /** The ops port: /healthz, /readyz, /metrics. */
  readonly opsUrl: string;
  readonly api: AtriumApp;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly directory: TenantDirectory;
  /** Verified access tokens this pod remembers. */
  readonly tokens: VerifiedTokenCache;
  readonly manager: ConnectionManager<TenantModels>;
  readonly registry: TenantRegistry;
  /**
   * Graceful stop: not ready first, serving on for SHUTDOWN_DRAIN_DELAY_MS while the pod leaves its
   * Service; then stop listening, finish in-flight requests (up to SHUTDOWN_DEADLINE_MS), close
   * everything, the ops port last.
   */
  shutdown(reason: string): Promise<{ unfinished: number }>;
}

export interface StartOptions {
  /**
   * Every time the pod reads or waits for (default: the system clock). With a manual clock, time
   * passes only as the test advances it: caches, windows, tokens, sweeps and the shutdown deadline.
   */
  clock?: Clock;
  logger?: Logger;
  /** Prefix for Redis keys, so several instances (tests) can share one Redis. */
  redisPrefix?: string;
  /** How often idle handles and pools are swept; 0 disables the timer (tests sweep by hand). */
  sweepIntervalMs?: number;
}

/** A mounted Secret with one file per cluster name, holding the URI the API uses for that cluster. */
/**
 * A Redis that hangs must fail like one that refuses, and come back by itself: a command without a
 * reply within REDIS_COMMAND_TIMEOUT_MS fails and its connection is dropped (a black-holed
 * connection never recovers, a new one may); while it reconnects commands fail at once instead of
 * queueing (the limiter then lets requests through, logins get 503, the directory reads the
 * registry). Reconnection is retried every few hundred milliseconds, at most every 2 s.
 */
function redisOptions(config: Config): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    socketTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: Math.max(config.REDIS_COMMAND_TIMEOUT_MS, 1_000),
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...redisAuthOptions(config),
  };
}

/** Builds every service of an API pod from its config and starts serving HTTP. */
export async function startApi(config: Config, options: StartOptions = {}): Promise<RunningApi> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, undefined, clock);
  const metrics = createMetrics();
  const keyring = config.ATRIUM_REGISTRY_KEYS_DIR
    ? Keyring.fromDirectory(config.ATRIUM_REGISTRY_KEYS_DIR)
    : Keyring.parse(config.ATRIUM_REGISTRY_KEYS ?? '');

  const clusterURIs = new ClusterURIs(config.CLUSTER_URIS, config.CLUSTER_URIS_DIR);
  const registryClient = new MongoClient(config.REGISTRY_MONGO_URI, {
    maxPoolSize: 10,
    serverSelectionTimeoutMS: config.POOL_SERVER_SELECTION_TIMEOUT_MS,
    waitQueueTimeoutMS: config.POOL_WAIT_QUEUE_TIMEOUT_MS,
    connectTimeoutMS: config.POOL_CONNECT_TIMEOUT_MS,
    socketTimeoutMS: config.REQUEST_DEADLINE_MS,
  });
  await registryClient.connect();
  // A pod that cannot start (a wrong Redis password, a port taken) leaves nothing running behind
  // it: what was opened so far is closed, newest first, and the error goes on.
  const opened: Array<() => unknown> = [() => registryClient.close()];
  const abandon = async (error: unknown): Promise<never> => {
    for (const close of opened.reverse()) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  };
  const registry = new TenantRegistry({
    // Registry reads made for a request inherit its deadline, as tenant-database operations do.
    db: boundByRequestDeadline(registryClient.db(config.REGISTRY_DATABASE), 'registry'),
    cipher: new RegistryCipher(keyring),
  });
  const breaker = () => new CircuitBreaker(clock, config.BREAKER_FAILURES, config.BREAKER_COOLDOWN_MS);
  const redis = new Redis(config.REDIS_URL, redisOptions(config));
  const subscriber = new Redis(config.REDIS_URL, { ...redisOptions(config), enableOfflineQueue: true });
  redis.on('error', (err) => logger.warn({ err: { name: err.name, message: err.message } }, 'redis error'));
  subscriber.on('error', (err) =>
    logger.warn({ err: { name: err.name, message: err.message } }, 'redis error'),
  );
  opened.push(
    () => redis.disconnect(),
    () => subscriber.disconnect(),
  );
  if (redis.status !== 'ready') await once(redis, 'ready').catch(abandon);

  const directory = new TenantDirectory({
    registry,
    registryBreaker: breaker(),
    redis,
    sealer: new CachedRecordSealer(keyring),
    clock,
    metrics,
    logger,
    max: config.TENANT_CACHE_MAX,
    negativeMax: config.TENANT_NEGATIVE_CACHE_MAX,
    ttlMs: config.TENANT_CACHE_TTL_MS,
    staleIfErrorMs: config.TENANT_STALE_IF_ERROR_MS,
    negativeTtlMs: config.TENANT_NEGATIVE_TTL_MS,
    redisTtlMs: config.TENANT_REDIS_TTL_MS,
    ...(options.redisPrefix ? { redisPrefix: options.redisPrefix } : {}),
  });
  opened.push(() => directory.close());
  await directory.listen(subscriber).catch(abandon);

  const manager = new ConnectionManager<TenantModels>({
    clusterURI: async (name) =>
      clusterURIs.get(name) ??
      (await directory.readRegistry(() => registry.getCluster(name)))?.apiURI ??
      null,
    compile: compileTenantModels,
    // One schema read per tenant handle; migrations only where the database is behind.
    prepare: config.APPLY_MIGRATIONS
      ? async (connection) => {
          if (connection.db) await applyMigrations(connection.db);
        }
      : undefined,
    clock,
    metrics,
    logger,
    budgetPerCluster: config.POOL_BUDGET_PER_CLUSTER,
    sharedMaxPoolSize: config.POOL_SHARED_MAX,
    dedicatedMaxPoolSize: config.POOL_DEDICATED_MAX,
    maxIdleTimeMS: config.POOL_MAX_IDLE_MS,
    waitQueueTimeoutMS: config.POOL_WAIT_QUEUE_TIMEOUT_MS,
    serverSelectionTimeoutMS: config.POOL_SERVER_SELECTION_TIMEOUT_MS,
    connectTimeoutMS: config.POOL_CONNECT_TIMEOUT_MS,
    socketTimeoutMS: config.REQUEST_DEADLINE_MS,
    handleIdleTtlMs: config.HANDLE_IDLE_TTL_MS,
    maxHandles: config.HANDLE_MAX,
    breakerFailures: config.BREAKER_FAILURES,
    breakerCooldownMs: config.BREAKER_COOLDOWN_MS,
  });
  opened.push(() => manager.close());
  const rateLimiter = new TenantRateLimiter({
    redis,
    limits: config.RATE_LIMITS,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    logger,
    prefix: options.redisPrefix,
    maxBatch: config.RATE_LIMIT_BATCH_MAX,
    anonymousShare: config.RATE_LIMIT_ANONYMOUS_SHARE,
    clock,
  });
  const tokens = new VerifiedTokenCache(config.TOKEN_CACHE_MAX_BYTES);
  const revocations = new AccountRevocations({
    redis,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    prefix: options.redisPrefix,
    logger,
    resyncMs: config.REVOCATION_RESYNC_MS,
    heartbeatMs: config.REDIS_HEARTBEAT_MS,
    pingTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    clock,
  });
  opened.push(() => revocations.close());
  await revocations.listen(subscriber).catch(abandon);
  metrics.watchRevocations(() => revocations.synced);

  const routeDeps: RouteDeps = {
    revocations,
    throttle: new LoginThrottle(
      redis,
      {
        perAccountAddress: config.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
        perAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        perAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
        windowSeconds: config.LOGIN_WINDOW_S,
      },
      options.redisPrefix,
    ),
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_S,
    refreshFamilyMaxSeconds: config.REFRESH_FAMILY_MAX_S,
    clock,
  };

  const busiestTenants = new BusiestTenants({
    clock,
    top: config.TOP_TENANTS,
    halfLifeMs: config.TOP_TENANTS_HALF_LIFE_MS,
  });
  metrics.watchBusiestTenants(() => busiestTenants.busiest());

  const api = createApp({
    routeDeps,
    version: API_VERSION,
    logger,
    metrics,
    directory,
    manager,
    rateLimiter,
    tokens,
    lookups: new TenantLookupBudget({
      perAddress: config.TENANT_LOOKUPS_PER_ADDRESS,
      windowMs: config.TENANT_LOOKUP_WINDOW_MS,
      clock,
    }),
    baseDomain: config.BASE_DOMAIN,
    corsOrigins: config.CORS_ALLOWED_ORIGINS,
    busiestTenants,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    provisioningRetryAfterS: config.PROVISIONING_RETRY_AFTER_S,
    requestDeadlineMs: config.REQUEST_DEADLINE_MS,
    idempotencyKeyTtlMs: config.IDEMPOTENCY_KEY_TTL_MS,
    maxInFlight: config.MAX_IN_FLIGHT,
    bodyMaxBytes: config.REQUEST_BODY_MAX_BYTES,
    checkReady: async () => {
      // Within the kubelet's default probe timeout (1 s): a dependency that hangs is not ready.
      const probe = new Deadline(clock, READINESS_PROBE_MS);
      const [registryOk, redisOk] = await Promise.all([
        probe
          .race(registryClient.db('admin').command({ ping: 1 }))
          .then(() => true)
          .catch(() => false),
        probe
          .race(redis.ping())
          .then((r) => r === 'PONG')
          .catch(() => false),
      ]);
      probe.cancel();
      // A pod that may have missed a revocation refuses every token: better out of the Service.
      return { registry: registryOk, redis: redisOk, revocations: revocations.synced };
    },
  });

  const server = createServer(
    {
      // Slow clients are cut off with a 408: headers (slowloris) and whole requests (a trickled body).
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      // How often those timeouts are checked (Node's default, 30 s, would let them run late).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, config.HTTP_HEADERS_TIMEOUT_MS / 4)),
    },
    api.app.callback(),
  );
  server.listen(config.PORT, config.HOST);
  await once(server, 'listening').catch(abandon);
  opened.push(() => server.close());
  const { port } = server.address() as AddressInfo;
  const opsServer = api.ops.listen(config.OPS_PORT, config.OPS_HOST);
  await once(opsServer, 'listening').catch(abandon);
  const opsPort = (opsServer.address() as AddressInfo).port;
  const sweepMs = options.sweepIntervalMs ?? Math.max(1_000, Math.min(30_000, config.HANDLE_IDLE_TTL_MS / 4));
  const sweeper =
    sweepMs > 0
      ? clock.setInterval(() => {
          manager.sweep().catch((err: unknown) => logger.warn({ err }, 'sweep failed'));
        }, sweepMs)
      : undefined;

  // A rotated cluster credential: the kubelet rewrites the mounted Secret; new requests get a pool
  // with the new URI, the previous pool finishes its requests and closes.
  const credentialWatch = clusterURIs.watched
    ? clock.setInterval(() => {
        try {
          for (const cluster of clusterURIs.refresh()) {
            logger.info(
              { cluster },
              'cluster URI changed: new requests use a new pool, the previous one drains',
            );
            manager.drainSharedPool(cluster);
          }
        } catch (error) {
          logger.warn(
            { err: { name: (error as Error).name, code: (error as NodeJS.ErrnoException).code } },
            'could not re-read CLUSTER_URIS_DIR',
          );
        }
      }, config.CLUSTER_URIS_REFRESH_MS)
    : undefined;

  let stopping: Promise<{ unfinished: number }> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason, inFlight: api.inFlight() }, 'shutting down');
      // Readiness goes first. Endpoints controllers, kube-proxy and ingresses learn of it late: until
      // they have, requests keep coming, and they are served (with Connection: close).
      api.startDraining();
      sweeper?.cancel();
      credentialWatch?.cancel();
      if (config.SHUTDOWN_DRAIN_DELAY_MS > 0) await clock.sleep(config.SHUTDOWN_DRAIN_DELAY_MS);
      logger.info({ inFlight: api.inFlight() }, 'shutting down: no longer listening');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = clock.now() + config.SHUTDOWN_DEADLINE_MS;
      while (api.inFlight() > 0 && clock.now() < deadline) await clock.sleep(25);
      const unfinished = api.inFlight();
      server.closeAllConnections();
      await closed;
      const bounded = (what: string, closing: Promise<unknown>) => {
        const limit = new Deadline(clock, CLOSE_STEP_MS);
        return limit
          .race(closing)
          .catch((error: unknown) =>
            logger.warn({ what, err: { name: (error as Error).name } }, 'shutdown: gave up closing'),
          )
          .finally(() => limit.cancel());
      };
      await bounded('tenant pools', manager.close());
      // Disconnect first: with Redis unreachable, an orderly UNSUBSCRIBE would wait out every retry.
      revocations.close();
      subscriber.disconnect();
      redis.disconnect();
      await bounded('invalidations', directory.close());
      // Ending its sessions needs a server: an unreachable registry would hold the pod for nothing.
      await bounded('registry', registryClient.close());
      // Last: the kubelet sees the pod alive (and not ready) until it is done.
      await new Promise<void>((resolve) => {
        opsServer.close(() => resolve());
        opsServer.closeAllConnections();
      });
      logger.info({ unfinished }, 'stopped');
      logger.flush();
      return { unfinished };
    })();
    return stopping;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    server,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    api,
    metrics,
    logger,
    directory,
    tokens,
    manager,
    registry,
    shutdown,
  };
}
