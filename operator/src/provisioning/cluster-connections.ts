import type * as k8s from '@kubernetes/client-node';
import { MongoClient, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { type Clock, systemClock } from '../../../contract/src/clock.ts';
import type { KubeClients } from '../kube/clients.ts';
import { isNotFound } from '../kube/clients.ts';
import type { MongoCluster } from '../resources/mongo-cluster.ts';
import { safeMessage } from '../safe-message.ts';
import { detectServer, type ServerInfo } from './server-info.ts';

/**
 * Admin connections to the MongoClusters, one MongoClient per cluster, rebuilt when the cluster's
 * connection Secret changes. Short timeouts: an unreachable cluster must fail a reconcile quickly
 * (and be reported), never hold a worker.
 */
export interface ClusterConnection {
  /** The MongoCluster's name. */
  readonly name: string;
  readonly client: MongoClient;
  readonly adminUri: string;
  readonly info: ServerInfo;
  readonly tenantHosts: string | undefined;
}

/**
 * Whether an error says a cluster is not answering — the network, a timeout, its pool — rather
 * than that an operation on it was wrong.
 */
export function isClusterUnreachable(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    (error instanceof Error && error.name === 'MongoWaitQueueTimeoutError')
  );
}

export class ClusterConnectionError extends Error {
  readonly kind: 'SecretMissing' | 'Unreachable';
  constructor(kind: 'SecretMissing' | 'Unreachable', message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

export class ClusterConnections {
  readonly #kube: KubeClients;
  readonly #timeoutMs: number;
  readonly #socketTimeoutMs: number;
  readonly #drainMs: number;
  readonly #clock: Clock;
  /** Clients of a previous Secret value, closed once the operations they carry had time to end. */
  readonly #draining = new Set<MongoClient>();
  readonly #cache = new Map<string, { secretVersion: string; connection: Promise<ClusterConnection> }>();

  /**
   * `timeoutMs` bounds reaching a server (selection, connect, a pooled connection); `socketTimeoutMs`
   * bounds how long an operation may wait for a server that stopped answering — the driver's
   * end-to-end timeoutMS has no effect in driver 7, so a stalled cluster would otherwise hold a
   * reconcile (and its worker) until TCP gives up.
   */
  constructor(
    kube: KubeClients,
    options: { timeoutMs?: number; socketTimeoutMs?: number; drainMs?: number; clock?: Clock } = {},
  ) {
    this.#kube = kube;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#socketTimeoutMs = options.socketTimeoutMs ?? 20_000;
    this.#drainMs = options.drainMs ?? this.#socketTimeoutMs;
    this.#clock = options.clock ?? systemClock;
  }

  async get(cluster: MongoCluster): Promise<ClusterConnection> {
    const name = cluster.metadata.name;
    const ref = cluster.spec.connectionSecretRef;
    let secret: k8s.V1Secret;
    try {
      secret = await this.#kube.core.readNamespacedSecret({ name: ref.name, namespace: ref.namespace });
    } catch (error) {
      if (isNotFound(error)) {
        throw new ClusterConnectionError(
          'SecretMissing',
          `Secret ${ref.namespace}/${ref.name} does not exist`,
        );
      }
      throw error;
    }
    const encoded = secret.data?.[ref.key];
    if (!encoded) {
      throw new ClusterConnectionError(
        'SecretMissing',
        `Secret ${ref.namespace}/${ref.name} has no key ${ref.key}`,
      );
    }
    const version = `${secret.metadata?.resourceVersion}/${cluster.spec.tenantHost ?? ''}`;
    // From here to `set` nothing awaits: concurrent callers share one connection attempt.
    const cached = this.#cache.get(name);
    if (cached && cached.secretVersion === version) return cached.connection;
    // A new credential: new work uses it at once; the previous client drains (its operations end,
    // bounded by the socket timeout) before it is closed, so a rotation fails nothing in flight.
    if (cached) void cached.connection.then((c) => this.#drain(c.client)).catch(() => undefined);
    const adminUri = Buffer.from(encoded, 'base64').toString('utf8');
    const connection = this.#connect(name, adminUri, cluster.spec.tenantHost);
    this.#cache.set(name, { secretVersion: version, connection });
    // A failed attempt is not cached: the next caller tries again.
    connection.catch(() => {
      if (this.#cache.get(name)?.connection === connection) this.#cache.delete(name);
    });
    return connection;
  }

  async #connect(
    name: string,
    adminUri: string,
    tenantHosts: string | undefined,
  ): Promise<ClusterConnection> {
    const client = new MongoClient(adminUri, {
      serverSelectionTimeoutMS: this.#timeoutMs,
      connectTimeoutMS: this.#timeoutMs,
      maxPoolSize: 10,
      minPoolSize: 0,
      maxIdleTimeMS: 60_000,
      waitQueueTimeoutMS: this.#timeoutMs,
      socketTimeoutMS: this.#socketTimeoutMs,
    });
    try {
      await client.connect();
      const info = await detectServer(client);
      return { name, client, adminUri, info, tenantHosts };
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new ClusterConnectionError('Unreachable', safeMessage(error), { cause: error });
    }
  }

  /** Drops a cluster's connection, e.g. after the MongoCluster was deleted. */
  async forget(name: string): Promise<void> {
    const cached = this.#cache.get(name);
    this.#cache.delete(name);
    await cached?.connection.then((c) => c.client.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#cache.keys()].map((name) => this.forget(name)));
    await Promise.all([...this.#draining].map((client) => client.close().catch(() => undefined)));
    this.#draining.clear();
  }

  #drain(client: MongoClient): void {
    this.#draining.add(client);
    this.#clock.setTimeout(() => {
      this.#draining.delete(client);
      void client.close().catch(() => undefined);
    }, this.#drainMs);
  }
}
