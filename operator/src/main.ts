/**
 * The operator process: config from the environment, JSON logs, health and metrics over HTTP,
 * leader election, and the controllers while leading. SIGTERM/SIGINT: finish the reconciles in
 * flight, release the Lease, exit.
 */
import * as k8s from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { systemClock } from '../../contract/src/clock.ts';
import { Keyring, RegistryCipher, TenantRegistry } from '../../contract/src/registry/index.ts';
import { loadOperatorConfig, redisClientOptions, registryClientOptions } from './config.ts';
import { Operator } from './controller.ts';
import { startHttpServer } from './http.ts';
import { LeaderElector } from './kube/leader-election.ts';
import { OperatorReplica } from './replica.ts';
import { describeError } from './safe-message.ts';

async function main(): Promise<void> {
  const config = loadOperatorConfig();
  const logger = pino({
    level: config.LOG_LEVEL,
    base: { service: 'atrium-operator', pod: config.POD_NAME },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['uri', '*.uri', 'password', '*.password', 'dbURI', '*.dbURI'], censor: '[redacted]' },
  });

  const kubeConfig = new k8s.KubeConfig();
  if (config.KUBECONFIG) kubeConfig.loadFromFile(config.KUBECONFIG);
  else kubeConfig.loadFromCluster();

  const keyring = config.ATRIUM_REGISTRY_KEYS
    ? Keyring.parse(config.ATRIUM_REGISTRY_KEYS)
    : Keyring.fromDirectory(config.ATRIUM_REGISTRY_KEYS_DIR ?? '');
  const mongo = new MongoClient(config.REGISTRY_MONGO_URI, registryClientOptions(config));
  await mongo.connect();
  const registry = new TenantRegistry({
    db: mongo.db(config.REGISTRY_DATABASE),
    cipher: new RegistryCipher(keyring),
  });
  // A keyring without a key that records are still sealed with would make them unreadable.
  await registry.assertKeyringCovers();
  // Indexes and subdomain claims are seen to by each new leader (Operator.start), not by every
  // replica at start: only the leader writes records, so only it may call the claims complete.
  const redis = new Redis(config.REDIS_URL, redisClientOptions(config));

  const processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics });
  // Each leadership term builds its controllers, and their metrics, afresh.
  let termMetrics: Registry | null = null;
  const replica = new OperatorReplica({
    logger,
    elector: new LeaderElector({
      kubeConfig,
      namespace: config.POD_NAMESPACE,
      name: config.LEASE_NAME,
      identity: config.POD_NAME,
      leaseDurationMs: config.LEASE_DURATION_MS,
      renewDeadlineMs: config.LEASE_RENEW_DEADLINE_MS,
      retryMs: config.LEASE_RETRY_MS,
      logger,
    }),
    createOperator: () => {
      termMetrics = new Registry();
      return new Operator({
        kubeConfig,
        registry,
        redis,
        logger,
        metricsRegistry: termMetrics,
        watchNamespace: config.WATCH_NAMESPACE,
        mongoClusterSelector: config.MONGOCLUSTER_SELECTOR,
        tenantSelector: config.TENANT_SELECTOR,
        concurrency: config.CONCURRENCY,
        resyncMs: config.RESYNC_MS,
        relistMs: config.RELIST_MS,
        probeEveryMs: config.CLUSTER_PROBE_MS,
        moveDrainMs: config.MOVE_DRAIN_MS,
        credentialOverlapMs: config.CREDENTIAL_OVERLAP_MS,
        signingKeyOverlapMs: config.SIGNING_KEY_OVERLAP_MS,
        clusterSocketTimeoutMs: config.CLUSTER_SOCKET_TIMEOUT_MS,
        kubeRequestTimeoutMs: config.KUBE_REQUEST_TIMEOUT_MS,
        stillLeading: () => replica.isLeader,
      });
    },
  });

  new Gauge({
    name: 'atrium_operator_leader',
    help: '1 while this replica holds the Lease and runs the controllers.',
    registers: [processMetrics],
    collect() {
      this.set(replica.isLeader ? 1 : 0);
    },
  });

  const server = await startHttpServer(
    {
      live: () => {
        const operator = replica.operator;
        return !operator || operator.sinceLastContactMs() < config.STALL_AFTER_MS;
      },
      ready: () => {
        const operator = replica.operator;
        return replica.isLeader ? !!operator?.synced : true;
      },
      metrics: () => Registry.merge(termMetrics ? [processMetrics, termMetrics] : [processMetrics]),
    },
    config.HTTP_PORT,
    config.HTTP_HOST,
  );
  const address = server.address();
  logger.info(
    { port: typeof address === 'object' && address ? address.port : config.HTTP_PORT },
    'listening',
  );
  replica.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing reconciles in flight, releasing the lease');
    const timer = systemClock.setTimeout(
      () => {
        logger.error('shutdown timed out');
        process.exit(1);
      },
      config.SHUTDOWN_TIMEOUT_MS,
      { keepAlive: true },
    );
    await replica.stop();
    server.close();
    redis.disconnect();
    await mongo.close();
    timer.cancel();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration errors name the variable, never its value.
  process.stderr.write(`${JSON.stringify({ level: 60, msg: describeError(error) })}\n`);
  process.exit(1);
});
