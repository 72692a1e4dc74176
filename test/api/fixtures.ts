import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { ConfigSchema } from '../../api/src/app/config.ts';
import { type RunningApi, type StartOptions, startApi } from '../../api/src/app/server.ts';
import { signAccessToken } from '../../api/src/auth/tokens.ts';
import { createLogger } from '../../api/src/observability/logger.ts';
import { systemClock } from '../../contract/src/clock.ts';
import {
  Keyring,
  publishInvalidation,
  RegistryCipher,
  type TenantInput,
  type TenantRecord,
  TenantRegistry,
} from '../../contract/src/registry/index.ts';
import type { Role } from '../../contract/src/tenant-db/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { tenantInput } from '../harness/tenant-record.ts';

/** Log lines an API instance wrote, kept so tests can check what logs carry (and what they must not). */
export class CapturedLogs {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface World {
  registry: TenantRegistry;
  keys: string;
  registryDatabase: string;
  clusters: string[];
  redisPrefix: string;
  mongo: MongoClient[];
  publisher: Redis;
  /** Registers an active tenant (defaults: shared, standard plan, first cluster). */
  tenant(overrides?: Partial<TenantInput>): Promise<TenantRecord>;
  /** An access token of `tenant`, issued now (by the system clock). */
  token(tenant: TenantRecord, roles?: Role[], userId?: string): Promise<string>;
  invalidate(tenant: TenantRecord): Promise<void>;
  startApi(
    env?: Record<string, string>,
    options?: StartOptions,
  ): Promise<RunningApi & { logs: CapturedLogs }>;
  close(): Promise<void>;
}

/**
 * A registry with the test clusters registered in it, and helpers to add tenants and start API
 * instances against it. Every name is unique, so test files run in parallel without meeting.
 */
export async function createWorld(clusterUris: string[] = testServers.mongoUris()): Promise<World> {
  const keys = `2026-01=${randomBytes(32).toString('base64')}`;
  const registryDatabase = uniqueName('system');
  const mongo = clusterUris.map((uri) => new MongoClient(uri));
  const registry = new TenantRegistry({
    db: mongo[0]?.db(registryDatabase) as ReturnType<MongoClient['db']>,
    cipher: new RegistryCipher(Keyring.parse(keys)),
  });
  await registry.ensureIndexes();
  const clusters = clusterUris.map((_, i) => `cluster-${i}`);
  for (const [i, uri] of clusterUris.entries()) {
    await registry.putCluster({
      name: `cluster-${i}`,
      labels: {},
      region: null,
      capacity: null,
      cordoned: false,
      weight: 100,
      reachable: true,
      serverVersion: null,
      flavour: testServers.mongoFlavour(),
      tenantCount: 0,
      apiURI: uri,
      generation: 1,
    });
  }
  const redisPrefix = uniqueName('atrium');
  const publisher = new Redis(testServers.redisUrl());
  const databases: Array<[number, string]> = [];
  const running: RunningApi[] = [];

  return {
    registry,
    keys,
    registryDatabase,
    clusters,
    redisPrefix,
    mongo,
    publisher,
    async tenant(overrides = {}) {
      const tenantId = overrides.tenantId ?? uniqueName('t').replace('_', '-');
      const cluster = overrides.cluster ?? clusters[0] ?? 'cluster-0';
      const database = overrides.database ?? `${redisPrefix}_${tenantId.replace(/-/g, '_')}`.slice(0, 60);
      databases.push([clusters.indexOf(cluster), database]);
      return registry.put(
        tenantInput({
          tenantId,
          cluster,
          database,
          dbURI: clusterUris[clusters.indexOf(cluster)] ?? null,
          ...overrides,
        }),
      );
    },
    token: (tenant, roles = ['teacher'], userId = 'user-1') =>
      signAccessToken(tenant, { userId, roles }, { now: systemClock.date() }),
    async invalidate(tenant) {
      await publishInvalidation(publisher, {
        kind: 'tenant',
        id: tenant.tenantId,
        generation: tenant.generation,
        subdomains: [tenant.subdomain],
      });
    },
    async startApi(env = {}, options = {}) {
      const config = ConfigSchema.parse({
        PORT: '0',
        HOST: '127.0.0.1',
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
        BASE_DOMAIN: 'lms.test',
        REGISTRY_MONGO_URI: clusterUris[0],
        REGISTRY_DATABASE: registryDatabase,
        REDIS_URL: testServers.redisUrl(),
        ATRIUM_REGISTRY_KEYS: keys,
        LOG_LEVEL: 'info',
        // Nothing routes to a test's pods by readiness: they may stop listening at once.
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        ...env,
      });
      const logs = new CapturedLogs();
      const api = await startApi(config, {
        redisPrefix,
        sweepIntervalMs: 0,
        logger: createLogger(config.LOG_LEVEL, logs.stream),
        ...options,
      });
      running.push(api);
      return Object.assign(api, { logs });
    },
    async close() {
      await Promise.all(running.map((api) => api.shutdown('test over')));
      await Promise.all(
        databases.map(([i, name]) =>
          mongo[i]
            ?.db(name)
            .dropDatabase()
            .catch(() => undefined),
        ),
      );
      await mongo[0]?.db(registryDatabase).dropDatabase();
      await Promise.all(mongo.map((m) => m.close()));
      publisher.disconnect();
    },
  };
}

/**
 * Environment for a pod on a ManualClock that a test moves by more than the revocation re-read
 * period (30 s) or the Redis heartbeat (1 s): both PING Redis with a deadline on the pod's clock,
 * and a jump passes the deadline before Redis can answer, so the pod would drop its subscription
 * and refuse tokens (503) until it has reconnected. A week between them keeps them out of the way.
 */
export const RESYNC_OUTSIDE_JUMPS = {
  REVOCATION_RESYNC_MS: String(7 * 86_400_000),
  REDIS_HEARTBEAT_MS: String(7 * 86_400_000),
};

export function hostOf(tenant: TenantRecord | string): string {
  return `${typeof tenant === 'string' ? tenant : tenant.subdomain}.lms.test`;
}

export { call, type Reply } from '../../scripts/lib/http-client.ts';
