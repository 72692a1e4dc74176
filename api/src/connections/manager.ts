import { createHash } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Clock } from '../../../contract/src/clock.ts';
import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { withinDeadline } from '../http/deadline.ts';
import type { Metrics } from '../observability/metrics.ts';
import { CircuitBreaker } from './breaker.ts';
import { databaseFailure } from './database-errors.ts';
import { boundByRequestDeadline } from './deadline-db.ts';

export interface ConnectionManagerOptions<M> {
  /** The URI API pods use for a cluster's shared pool (the registry's `clusters.apiURI`). */
  clusterURI: (cluster: string) => Promise<string | null>;
  /** Compiles the tenant models on a tenant's connection; called once per handle. */
  compile: (connection: Connection) => M;
  /** Runs once per handle before its first request (e.g. schema migrations); failure drops the handle. */
  prepare?: ((connection: Connection) => Promise<void>) | undefined;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  budgetPerCluster: number;
  sharedMaxPoolSize: number;
  dedicatedMaxPoolSize: number;
  maxIdleTimeMS: number;
  waitQueueTimeoutMS: number;
  serverSelectionTimeoutMS: number;
  /** Opening a pooled connection (TCP, TLS, handshake); also the monitor's check of a server. */
  connectTimeoutMS: number;
  /**
   * A socket silent this long is closed. Requests bound their operations by their own deadline;
   * this bounds the rest (the default: the request deadline).
   */
  socketTimeoutMS: number;
  handleIdleTtlMs: number;
  maxHandles: number;
  breakerFailures: number;
  breakerCooldownMs: number;
}

type PoolKind = 'shared' | 'dedicated';

interface Pool {
  readonly key: string;
  readonly cluster: string;
  readonly kind: PoolKind;
  readonly maxPoolSize: number;
  readonly connection: Connection;
  handles: number;
  inFlight: number;
  lastUsed: number;
  /** Pooled connections open right now, from the driver's CMAP events. */
  connections: number;
  /** Superseded (new credentials): takes no new requests, closes once its last one ends. */
  draining: boolean;
}

interface Handle<M> {
  readonly tenantId: string;
  readonly database: string;
  readonly pool: Pool;
  readonly connection: Connection;
  readonly models: M;
  inFlight: number;
  lastUsed: number;
  /** The registry record's generation the handle was opened for: an older record never replaces it. */
  readonly generation: number;
  /** No new requests: the tenant moved; released once its last request ends. */
  retired: boolean;
  /** removeDb has run. */
  dropped: boolean;
  /** Settles when `prepare` has run for this handle. */
  ready: Promise<void>;
}

/** mongoose 9 has `removeDb` but its type definitions lag behind. */
type ParentConnection = Connection & { removeDb(name: string): void };

function poolKey(tenant: TenantRecord): string {
  if (tenant.isolation !== 'dedicated') return `shared:${tenant.cluster}`;
  // Keyed by credential too, so new credentials get a new pool. Never logged.
  const credential = createHash('sha256')
    .update(tenant.dbURI ?? '')
    .digest('base64url')
    .slice(0, 12);
  return `dedicated:${tenant.tenantId}:${credential}`;
}

/** A tenant's database, checked out for the length of one request. Release it exactly once, when done. */
export interface DatabaseCheckout<M> {
  readonly models: M;
  readonly connection: Connection;
  readonly cluster: string;
  release(): void;
}

export interface PoolStats {
  key: string;
  cluster: string;
  kind: PoolKind;
  maxPoolSize: number;
  connections: number;
  handles: number;
  inFlight: number;
}

/**
 * Database access for thousands of tenants with a bounded number of connections.
 *
 * - Pools are keyed by cluster and credential: every shared-isolation tenant of a cluster uses the
 *   cluster's one MongoClient and switches database through a handle (`useDb`); a dedicated tenant
 *   gets a small pool of its own with its own credentials.
 * - Per cluster, the sum of the pools' maxPoolSize never exceeds the budget.
 * - Handles and pools unused for the idle TTL are released, handles beyond the LRU cap too; nothing
 *   with a request in flight is ever released. Releasing a handle calls `removeDb`, since mongoose
 *   keeps every `useDb` connection on its parent otherwise.
 * - Concurrent first requests open a pool once; a cluster that keeps failing trips its breaker
 *   and its tenants get fast 503s while other clusters carry on.
 * - Every operation on a handle inherits the deadline of the request it runs for (deadline-db.ts):
 *   a stalled cluster costs a request its deadline at most, then a 503 and a breaker failure, and
 *   the connection it held is closed rather than left pinned.
 */
export class ConnectionManager<M> {
  readonly #o: ConnectionManagerOptions<M>;
  readonly #pools = new Map<string, Pool>();
  readonly #opening = new Map<string, Promise<Pool>>();
  /** Insertion order is recency: a touched handle is moved to the end. */
  readonly #handles = new Map<string, Handle<M>>();
  readonly #breakers = new Map<string, CircuitBreaker>();
  /** Connections promised to pools still opening, per cluster: counted against the budget. */
  readonly #reserved = new Map<string, number>();
  /** Pools superseded by new credentials, finishing their requests. */
  readonly #draining = new Set<Pool>();
  #closed = false;

  constructor(options: ConnectionManagerOptions<M>) {
    if (options.sharedMaxPoolSize > options.budgetPerCluster) {
      throw new Error('the shared pool size must fit in the per-cluster budget');
    }
    this.#o = options;
  }

  async acquire(tenant: TenantRecord): Promise<DatabaseCheckout<M>> {
    if (this.#closed) throw new ApiProblem('draining');
    const { cluster, database } = tenant;
    if (cluster === null || database === null) throw new ApiProblem('tenant-provisioning');
    // Open: refused at once. Half-open: one request at a time tries the cluster.
    if (!this.#breaker(cluster).allow()) throw this.#unavailable(cluster);
    // From here on every way out tells the breaker: below on failure, the caller's recordOutcome otherwise.
    let held: Handle<M>;
    try {
      held = await this.#handle(tenant, database);
    } catch (error) {
      throw this.recordOutcome(cluster, error) ?? error;
    }
    held.inFlight++;
    held.pool.inFlight++;
    this.#o.metrics.handles.set(this.#handles.size);
    this.#enforceHandleCap();
    try {
      await withinDeadline(held.ready, 'database');
    } catch (error) {
      held.inFlight--;
      held.pool.inFlight--;
      this.#retire(held);
      this.#closeIfDrained(held.pool);
      throw this.recordOutcome(cluster, error) ?? error;
    }
    let released = false;
    return {
      models: held.models,
      connection: held.connection,
      cluster,
      release: () => {
        if (released) return;
        released = true;
        const now = this.#o.clock.now();
        held.inFlight--;
        held.pool.inFlight--;
        held.lastUsed = now;
        held.pool.lastUsed = now;
        if (held.retired && held.inFlight === 0) this.#dropHandle(held, 'replaced');
        this.#closeIfDrained(held.pool);
      },
    };
  }

  /**
   * Tells a cluster's breaker how a request's database work went, and answers the problem to show
   * when the cluster is to blame (503 `cluster-unavailable` with Retry-After). Unreachable counts
   * against the breaker; a pool closing under the request is a 503 the breaker does not hear of;
   * an answer from the server, even an error, is a success; anything else says nothing.
   */
  recordOutcome(cluster: string, error?: unknown): ApiProblem | undefined {
    const breaker = this.#breaker(cluster);
    const wasClosed = breaker.state === 'closed';
    const failure = error === undefined ? undefined : databaseFailure(error);
    if (error === undefined || (error instanceof MongoServerError && failure === undefined))
      breaker.success();
    else if (failure === 'unreachable') breaker.failure();
    else breaker.abstain();
    const isClosed = breaker.state === 'closed';
    this.#o.metrics.breakerState.set({ cluster }, isClosed ? 0 : 1);
    if (wasClosed && !isClosed) {
      const cause = error as { name?: string; message?: string };
      this.#o.logger.warn(
        { cluster, cause: { name: cause.name, message: cause.message } },
        'cluster breaker opened: its tenants get 503 cluster-unavailable until a trial request succeeds',
      );
    } else if (!wasClosed && isClosed) this.#o.logger.info({ cluster }, 'cluster breaker closed');
    return failure === undefined ? undefined : this.#unavailable(cluster, error);
  }

  /** The tenant's handle, opening its pool first if need be (waiting no longer than the request may). */
  async #handle(tenant: TenantRecord, database: string): Promise<Handle<M>> {
    const key = poolKey(tenant);
    const handle = this.#handles.get(tenant.tenantId);
    // A request that read the record before a change (its generation is older) keeps the newer handle.
    const current =
      handle &&
      ((handle.pool === this.#pools.get(key) && handle.database === database) ||
        tenant.generation < handle.generation);
    if (handle && current) {
      this.#handles.delete(tenant.tenantId);
      this.#handles.set(tenant.tenantId, handle);
      return handle;
    }
    // The tenant moved, got new credentials, or its pool was superseded: new requests get a fresh
    // handle. A dedicated pool serves this tenant alone: one for superseded credentials drains.
    if (handle) {
      this.#retire(handle);
      if (handle.pool.kind === 'dedicated' && handle.pool.key !== key)
        this.#drain(handle.pool, 'credentials');
    }
    const pool = await withinDeadline(this.#pool(key, tenant), 'database');
    const raced = this.#handles.get(tenant.tenantId);
    if (raced && raced.pool === pool && raced.database === database) return raced;
    const connection = pool.connection.useDb(database, { useCache: false });
    const created: Handle<M> = {
      tenantId: tenant.tenantId,
      database,
      pool,
      connection,
      models: this.#o.compile(connection),
      generation: tenant.generation,
      inFlight: 0,
      lastUsed: this.#o.clock.now(),
      retired: false,
      dropped: false,
      ready: this.#o.prepare ? this.#o.prepare(connection) : Promise.resolve(),
    };
    // A failure is reported by the requests that wait for it, never as an unhandled rejection.
    created.ready.catch(() => undefined);
    pool.handles++;
    this.#handles.set(tenant.tenantId, created);
    return created;
  }

  #unavailable(cluster: string, cause?: unknown): ApiProblem {
    const retryAfter = Math.max(1, this.#breaker(cluster).retryAfterSeconds);
    return new ApiProblem('cluster-unavailable', { cause, headers: { 'Retry-After': String(retryAfter) } });
  }

  /** Releases handles and pools idle for the TTL. Run periodically; tests call it with a manual clock. */
  async sweep(): Promise<void> {
    const now = this.#o.clock.now();
    for (const handle of [...this.#handles.values()]) {
      if (handle.inFlight === 0 && now - handle.lastUsed >= this.#o.handleIdleTtlMs)
        this.#dropHandle(handle, 'idle');
    }
    const idle = [...this.#pools.values()].filter(
      (p) => p.handles === 0 && p.inFlight === 0 && now - p.lastUsed >= this.#o.handleIdleTtlMs,
    );
    await Promise.all(idle.map((p) => this.#closePool(p, 'idle')));
  }

  stats(): { pools: PoolStats[]; handles: number } {
    return {
      handles: this.#handles.size,
      pools: [...this.#pools.values()].map(
        ({ key, cluster, kind, maxPoolSize, connections, handles, inFlight }) => ({
          key,
          cluster,
          kind,
          maxPoolSize,
          connections,
          handles,
          inFlight,
        }),
      ),
    };
  }

  /** The shared pool's parent connection of a cluster, for tests that inspect mongoose's bookkeeping. */
  sharedConnection(cluster: string): Connection | undefined {
    return this.#pools.get(`shared:${cluster}`)?.connection;
  }

  /**
   * The cluster's URI changed (a rotated credential, see cluster-uris.ts): new requests open a new
   * shared pool with it; the current pool takes no new request and closes once its last one ends,
   * so nothing in flight fails and no connection keeps the previous credential for long.
   */
  drainSharedPool(cluster: string): void {
    const pool = this.#pools.get(`shared:${cluster}`);
    if (pool) this.#drain(pool, 'credentials');
  }

  /** Closes every pool. Call after the HTTP server has finished its in-flight requests. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.#opening.values());
    for (const handle of [...this.#handles.values()]) this.#dropHandle(handle, 'shutdown');
    await Promise.all([
      ...[...this.#pools.values()].map((p) => this.#closePool(p, 'shutdown')),
      ...[...this.#draining].map((p) => this.#closeDrained(p)),
    ]);
  }

  // ---- pools ---------------------------------------------------------------------------------

  async #pool(key: string, tenant: TenantRecord): Promise<Pool> {
    const cluster = tenant.cluster as string;
    const kind: PoolKind = tenant.isolation === 'dedicated' ? 'dedicated' : 'shared';
    const existing = this.#pools.get(key);
    if (existing) return existing;
    let opening = this.#opening.get(key);
    if (!opening) {
      opening = this.#openPool(key, cluster, kind, tenant).finally(() => this.#opening.delete(key));
      this.#opening.set(key, opening);
    }
    return opening;
  }

  async #openPool(key: string, cluster: string, kind: PoolKind, tenant: TenantRecord): Promise<Pool> {
    const maxPoolSize = kind === 'shared' ? this.#o.sharedMaxPoolSize : this.#o.dedicatedMaxPoolSize;
    await this.#reserve(cluster, maxPoolSize);
    try {
      return await this.#connect(key, cluster, kind, maxPoolSize, tenant);
    } finally {
      this.#unreserve(cluster, maxPoolSize);
    }
  }

  async #connect(
    key: string,
    cluster: string,
    kind: PoolKind,
    maxPoolSize: number,
    tenant: TenantRecord,
  ): Promise<Pool> {
    const uri = kind === 'shared' ? await this.#o.clusterURI(cluster) : tenant.dbURI;
    if (!uri) {
      this.#o.logger.error({ cluster, kind }, 'no connection URI for this pool in the registry');
      throw new ApiProblem('cluster-unavailable');
    }
    const connection = mongoose.createConnection(uri, {
      maxPoolSize,
      minPoolSize: 0,
      maxIdleTimeMS: this.#o.maxIdleTimeMS,
      waitQueueTimeoutMS: this.#o.waitQueueTimeoutMS,
      serverSelectionTimeoutMS: this.#o.serverSelectionTimeoutMS,
      connectTimeoutMS: this.#o.connectTimeoutMS,
      socketTimeoutMS: this.#o.socketTimeoutMS,
      // One monitoring connection per server instead of two.
      serverMonitoringMode: 'poll',
      autoIndex: false,
      autoCreate: false,
      bufferCommands: false,
    });
    const pool: Pool = {
      key,
      cluster,
      kind,
      maxPoolSize,
      connection,
      handles: 0,
      inFlight: 0,
      lastUsed: this.#o.clock.now(),
      connections: 0,
      draining: false,
    };
    const client = connection.getClient();
    // Every tenant database of the pool (useDb asks the client for it) is bound by request deadlines.
    const db = client.db.bind(client);
    client.db = (name, options) => boundByRequestDeadline(db(name, options), 'database');
    client.on('connectionCreated', () => {
      pool.connections++;
      this.#o.metrics.connections.inc({ cluster });
    });
    client.on('connectionClosed', () => {
      pool.connections--;
      this.#o.metrics.connections.dec({ cluster });
    });
    // Connection errors after start are the driver's to retry; the breaker hears of them through requests.
    connection.on('error', () => {});
    try {
      await connection.asPromise();
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      this.#o.logger.warn({ cluster, kind, err: { name: (error as Error).name } }, 'could not open a pool');
      throw error;
    }
    this.#pools.set(key, pool);
    this.#o.metrics.poolsOpen.inc({ cluster, kind });
    return pool;
  }

  /**
   * Reserves `size` connections of `cluster`'s budget for a pool about to open, closing idle
   * dedicated pools (least recently used first) to make room. The check and the reservation happen
   * in one synchronous step, so concurrent openings cannot both squeeze into the last slot.
   */
  async #reserve(cluster: string, size: number): Promise<void> {
    for (;;) {
      const committed =
        [...this.#pools.values()]
          .filter((p) => p.cluster === cluster)
          .reduce((sum, p) => sum + p.maxPoolSize, 0) + (this.#reserved.get(cluster) ?? 0);
      if (committed + size <= this.#o.budgetPerCluster) {
        this.#reserved.set(cluster, (this.#reserved.get(cluster) ?? 0) + size);
        return;
      }
      const idle = [...this.#pools.values()]
        .filter((p) => p.cluster === cluster && p.kind === 'dedicated' && p.inFlight === 0)
        .sort((x, y) => x.lastUsed - y.lastUsed)[0];
      if (!idle) throw new ApiProblem('capacity-exhausted', { headers: { 'Retry-After': '1' } });
      for (const handle of [...this.#handles.values()])
        if (handle.pool === idle) this.#dropHandle(handle, 'budget');
      await this.#closePool(idle, 'budget');
    }
  }

  /** Takes `pool` out of service; its connections count against the budget until it has closed. */
  #drain(pool: Pool, reason: string): void {
    if (this.#pools.get(pool.key) !== pool) return;
    this.#pools.delete(pool.key);
    pool.draining = true;
    this.#draining.add(pool);
    this.#o.metrics.poolsOpen.dec({ cluster: pool.cluster, kind: pool.kind });
    this.#o.metrics.evictions.inc({ what: 'pool', reason });
    this.#reserved.set(pool.cluster, (this.#reserved.get(pool.cluster) ?? 0) + pool.maxPoolSize);
    for (const handle of [...this.#handles.values()]) if (handle.pool === pool) this.#retire(handle);
    this.#closeIfDrained(pool);
  }

  #closeIfDrained(pool: Pool): void {
    if (pool.draining && pool.inFlight === 0) void this.#closeDrained(pool);
  }

  async #closeDrained(pool: Pool): Promise<void> {
    if (!this.#draining.delete(pool)) return;
    try {
      await pool.connection.close(true).catch(() => undefined);
    } finally {
      this.#unreserve(pool.cluster, pool.maxPoolSize);
    }
  }

  #unreserve(cluster: string, size: number): void {
    this.#reserved.set(cluster, (this.#reserved.get(cluster) ?? 0) - size);
  }

  async #closePool(pool: Pool, reason: string): Promise<void> {
    if (this.#pools.get(pool.key) !== pool) return;
    this.#pools.delete(pool.key);
    this.#o.metrics.poolsOpen.dec({ cluster: pool.cluster, kind: pool.kind });
    this.#o.metrics.evictions.inc({ what: 'pool', reason });
    // Its connections count against the budget until they are really closed.
    this.#reserved.set(pool.cluster, (this.#reserved.get(pool.cluster) ?? 0) + pool.maxPoolSize);
    try {
      await pool.connection.close(true).catch(() => undefined);
    } finally {
      this.#unreserve(pool.cluster, pool.maxPoolSize);
    }
  }

  // ---- handles -------------------------------------------------------------------------------

  #enforceHandleCap(): void {
    if (this.#handles.size <= this.#o.maxHandles) return;
    for (const handle of this.#handles.values()) {
      if (this.#handles.size <= this.#o.maxHandles) break;
      if (handle.inFlight === 0) this.#dropHandle(handle, 'lru');
    }
  }

  #retire(handle: Handle<M>): void {
    handle.retired = true;
    if (this.#handles.get(handle.tenantId) === handle) this.#handles.delete(handle.tenantId);
    if (handle.inFlight === 0) this.#dropHandle(handle, 'replaced');
  }

  #dropHandle(handle: Handle<M>, reason: string): void {
    if (this.#handles.get(handle.tenantId) === handle) this.#handles.delete(handle.tenantId);
    if (handle.dropped) return;
    handle.dropped = true;
    handle.pool.handles--;
    try {
      (handle.pool.connection as ParentConnection).removeDb(handle.database);
    } catch {
      // Already removed (the pool was closed first).
    }
    this.#o.metrics.evictions.inc({ what: 'handle', reason });
  }

  #breaker(cluster: string): CircuitBreaker {
    let breaker = this.#breakers.get(cluster);
    if (!breaker) {
      breaker = new CircuitBreaker(this.#o.clock, this.#o.breakerFailures, this.#o.breakerCooldownMs);
      this.#breakers.set(cluster, breaker);
    }
    return breaker;
  }
}
