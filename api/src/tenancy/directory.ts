import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Clock } from '../../../contract/src/clock.ts';
import {
  type CachedRecordSealer,
  type InvalidationMessage,
  type InvalidationSubscription,
  subscribeInvalidations,
  type TenantRecord,
  type TenantRegistry,
} from '../../../contract/src/registry/index.ts';
import type { CircuitBreaker } from '../connections/breaker.ts';
import { databaseFailure } from '../connections/database-errors.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { withinDeadline } from '../http/deadline.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LookupGuard } from './lookup-budget.ts';

export type TenantKey = { tenantId: string } | { subdomain: string };

/** A tenant held in memory, and when it was read (from Redis or the registry). */
type Entry = { record: TenantRecord; readAt: number };

export interface TenantDirectoryOptions {
  registry: TenantRegistry;
  /** The registry's circuit breaker: while it is open, look-ups that need the registry fail at once. */
  registryBreaker: CircuitBreaker;
  redis: Redis;
  /** Authenticates what is written to Redis and verifies what is read back. */
  sealer: CachedRecordSealer;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Tenants held in process memory. */
  max: number;
  /** Unknown names held in process memory, apart from the tenants (default 1000). */
  negativeMax?: number;
  ttlMs: number;
  /**
   * How long past `ttlMs` a tenant may still be served from memory while the registry cannot be
   * read (0: never). Invalidations drop it as they drop any entry.
   */
  staleIfErrorMs?: number;
  negativeTtlMs: number;
  redisTtlMs: number;
  /** Key prefix in Redis, so several deployments (or tests) can share one server. */
  redisPrefix?: string;
}

/**
 * Finds tenants by id or subdomain through three layers: an in-process LRU with TTL, Redis (the
 * sealed, still-encrypted record, shared by every pod), then the registry. What Redis holds is
 * authenticated as a whole (CachedRecordSealer, keyed from the registry keyring): an entry that
 * does not verify is counted, logged and ignored, and the registry answers. Concurrent misses for
 * one key share one look-up; unknown keys are cached as missing for a short TTL so random
 * subdomains cannot hammer the registry — in a small LRU of their own, so a flood of random names
 * evicts other random names, never a real tenant. Registry invalidations drop entries at once.
 *
 * A registry that is slow or gone costs tenants the pod knows (in memory or in Redis) nothing; a
 * look-up that needs it waits no longer than the request's deadline and fails with 503
 * `registry-unavailable` (never taken for "no such tenant"), and after a few such failures the
 * registry's breaker answers them at once until a trial look-up succeeds. A tenant whose entries
 * expired during the outage is still served from memory for `staleIfErrorMs`.
 */
export class TenantDirectory {
  readonly #options: TenantDirectoryOptions;
  readonly #memory: LRUCache<string, Entry>;
  /** Keys known not to name a tenant. */
  readonly #missing: LRUCache<string, true>;
  readonly #inflight = new Map<string, Promise<TenantRecord | null>>();
  /** Lowest generation acceptable per tenant after an invalidation: older copies in Redis are ignored. */
  readonly #floors: LRUCache<string, number>;
  readonly #prefix: string;
  #subscription: InvalidationSubscription | undefined;

  constructor(options: TenantDirectoryOptions) {
    this.#options = options;
    // v2: authenticated entries (v1 held the bare sealed record; pods of either kind skip the other's).
    this.#prefix = `${options.redisPrefix ?? 'atrium'}:v2:tenant:`;
    const perf = { now: () => options.clock.now() };
    this.#memory = new LRUCache<string, Entry>({
      // A tenant takes two entries (by id and by subdomain): `max` counts tenants.
      max: options.max * 2,
      ttl: options.ttlMs,
      ttlResolution: 0,
      // Expired entries are not served, but kept (until evicted) for a registry outage.
      noDeleteOnStaleGet: true,
      perf,
    });
    this.#missing = new LRUCache<string, true>({
      max: options.negativeMax ?? 1_000,
      ttl: Math.max(options.negativeTtlMs, 1),
      ttlResolution: 0,
      perf,
    });
    this.#floors = new LRUCache<string, number>({
      max: options.max,
      ttl: options.redisTtlMs,
      ttlResolution: 0,
      perf,
    });
  }

  /** Subscribes to registry invalidations on a dedicated Redis connection. */
  async listen(subscriber: Redis): Promise<void> {
    this.#subscription = await subscribeInvalidations(subscriber, {
      onMessage: (message) => {
        this.apply(message).catch((error: unknown) =>
          this.#options.logger.warn({ err: error }, 'applying a registry invalidation failed'),
        );
      },
      onInvalid: (error) =>
        this.#options.logger.warn({ code: error.code }, 'ignored a malformed invalidation'),
      // Messages published while we were disconnected are lost: start from an empty cache.
      onReconnect: () => {
        this.#memory.clear();
        this.#missing.clear();
      },
    });
  }

  async close(): Promise<void> {
    await this.#subscription?.close();
  }

  /**
   * The tenant `key` names, or null. `guard` is told of a look-up that leaves memory before it
   * starts (and may refuse it by throwing), and of one that found nothing.
   */
  async find(key: TenantKey, guard?: LookupGuard): Promise<TenantRecord | null> {
    const cacheKey = 'tenantId' in key ? `id:${key.tenantId}` : `sub:${key.subdomain}`;
    const cached = this.#memory.get(cacheKey);
    if (cached) {
      this.#options.metrics.cacheLookups.inc({ layer: 'memory' });
      return cached.record;
    }
    if (this.#missing.get(cacheKey)) {
      this.#options.metrics.cacheLookups.inc({ layer: 'negative' });
      return null;
    }
    guard?.admit();
    let pending = this.#inflight.get(cacheKey);
    if (!pending) {
      pending = this.#load(cacheKey, key).finally(() => this.#inflight.delete(cacheKey));
      this.#inflight.set(cacheKey, pending);
    }
    const found = await pending;
    if (!found) guard?.notFound();
    return found;
  }

  /** Drops what a registry write made stale, here and in Redis. */
  async apply(message: InvalidationMessage): Promise<void> {
    this.#options.metrics.invalidations.inc();
    if (message.kind !== 'tenant') return;
    const keys = [`id:${message.id}`, ...(message.subdomains ?? []).map((s) => `sub:${s}`)];
    // A subdomain that changed is found through the cached record of the tenant too.
    const cached = this.#memory.get(`id:${message.id}`);
    if (cached && 'record' in cached) keys.push(`sub:${cached.record.subdomain}`);
    if (message.generation !== undefined) this.#floors.set(message.id, message.generation);
    for (const key of keys) {
      this.#memory.delete(key);
      this.#missing.delete(key);
    }
    await this.#options.redis.del(...keys.map((k) => this.#prefix + k));
  }

  /** Whether this pod holds a tenant for `key` in memory (for tests and debugging). */
  holds(key: TenantKey): boolean {
    return this.#memory.has('tenantId' in key ? `id:${key.tenantId}` : `sub:${key.subdomain}`);
  }

  /** Tenant entries held in process memory (two per tenant: by id and by subdomain). */
  get size(): number {
    return this.#memory.size;
  }

  /** Unknown names held in process memory. */
  get missingSize(): number {
    return this.#missing.size;
  }

  async #load(cacheKey: string, key: TenantKey): Promise<TenantRecord | null> {
    const { registry, redis, metrics, redisTtlMs, negativeTtlMs, sealer, clock } = this.#options;
    const fromRedis = await withinDeadline(redis.get(this.#prefix + cacheKey), 'redis').catch(
      (error: unknown) => {
        const { name, message } = error as Error;
        this.#options.logger.warn(
          { err: { name, message } },
          'tenant cache: Redis unavailable, reading the registry',
        );
        return null;
      },
    );
    if (fromRedis !== null) {
      const cached = await this.#verified(cacheKey, fromRedis);
      if (cached === null) {
        metrics.cacheLookups.inc({ layer: 'negative' });
        this.#missing.set(cacheKey, true);
        return null;
      }
      if (cached && cached.generation >= (this.#floors.get(cached.tenantId) ?? 0)) {
        metrics.cacheLookups.inc({ layer: 'redis' });
        this.#remember(cached);
        return cached;
      }
    }

    metrics.cacheLookups.inc({ layer: 'registry' });
    let sealed: Awaited<ReturnType<TenantRegistry['findSealed']>>;
    try {
      sealed = await this.readRegistry(() => registry.findSealed(key));
    } catch (error) {
      const stale = this.#stale(cacheKey, error);
      if (stale) return stale;
      throw error;
    }
    if (!sealed) {
      this.#missing.set(cacheKey, true);
      const ttl = Math.max(negativeTtlMs, 1);
      // Filling the shared cache never makes the request wait (nor fail): Redis may be slow or gone.
      void redis
        .set(this.#prefix + cacheKey, sealer.seal(cacheKey, null, clock.now() + ttl), 'PX', ttl)
        .catch(() => undefined);
      return null;
    }
    const record = await registry.unseal(sealed);
    this.#remember(record);
    const ttl = Math.max(redisTtlMs, 1);
    const expires = clock.now() + ttl;
    const [byId, bySubdomain] = [`id:${record.tenantId}`, `sub:${record.subdomain}`];
    void redis
      .multi()
      .set(this.#prefix + byId, sealer.seal(byId, sealed, expires), 'PX', ttl)
      .set(this.#prefix + bySubdomain, sealer.seal(bySubdomain, sealed, expires), 'PX', ttl)
      .exec()
      .catch(() => undefined);
    return record;
  }

  /**
   * A registry read through the registry's breaker: refused at once while it is open; a registry
   * that does not answer (network, selection, the request's deadline) counts against it and is 503
   * `registry-unavailable` with Retry-After.
   */
  async readRegistry<T>(read: () => Promise<T>): Promise<T> {
    const { registryBreaker: breaker, metrics, logger } = this.#options;
    if (!breaker.allow()) throw this.#registryUnavailable();
    const wasClosed = breaker.state === 'closed';
    try {
      const value = await read();
      breaker.success();
      return value;
    } catch (error) {
      if (databaseFailure(error) === undefined) {
        breaker.abstain();
        throw error;
      }
      breaker.failure();
      throw this.#registryUnavailable(error);
    } finally {
      const isClosed = breaker.state === 'closed';
      metrics.registryBreakerState.set(isClosed ? 0 : 1);
      if (wasClosed && !isClosed) {
        logger.warn('registry breaker opened: tenants not in memory or Redis get 503 registry-unavailable');
      } else if (!wasClosed && isClosed) logger.info('registry breaker closed');
    }
  }

  #registryUnavailable(cause?: unknown): ApiProblem {
    const retryAfter = Math.max(1, this.#options.registryBreaker.retryAfterSeconds);
    return new ApiProblem('registry-unavailable', { cause, headers: { 'Retry-After': String(retryAfter) } });
  }

  /**
   * What a Redis entry says, if it verifies: the tenant, or null for "no such tenant". Undefined
   * when it does not (forged, another key's, expired, undecryptable): counted, logged if it is not
   * mere expiry, and the caller reads the registry.
   */
  async #verified(cacheKey: string, text: string): Promise<TenantRecord | null | undefined> {
    const { sealer, registry, clock, metrics, logger } = this.#options;
    const opened = sealer.open(cacheKey, text, clock.now());
    let reason: string = opened.ok ? '' : opened.reason;
    if (opened.ok) {
      if (opened.record === null) return null;
      try {
        return await registry.unseal(opened.record);
      } catch {
        reason = 'unreadable';
      }
    }
    metrics.cacheRejected.inc({ reason });
    if (reason !== 'expired') {
      logger.warn(
        { tenantKey: cacheKey, reason },
        'tenant cache: a Redis entry did not verify; reading the registry',
      );
    }
    return undefined;
  }

  /** The expired entry of `cacheKey`, if the registry is unavailable and it is not too old. */
  #stale(cacheKey: string, error: unknown): TenantRecord | undefined {
    const { clock, ttlMs, staleIfErrorMs = 0, metrics, logger } = this.#options;
    if (!(error instanceof ApiProblem && error.code === 'registry-unavailable')) return undefined;
    const entry = this.#memory.get(cacheKey, { allowStale: true });
    if (!entry || clock.now() - entry.readAt > ttlMs + staleIfErrorMs) return undefined;
    metrics.cacheLookups.inc({ layer: 'stale' });
    logger.debug({ tenantKey: cacheKey }, 'tenant cache: registry unavailable, serving an expired entry');
    return entry.record;
  }

  #remember(record: TenantRecord): void {
    // A look-up that raced an invalidation may hold an older record: serve it, don't keep it.
    if (record.generation < (this.#floors.get(record.tenantId) ?? 0)) return;
    const entry = { record, readAt: this.#options.clock.now() };
    this.#memory.set(`id:${record.tenantId}`, entry);
    this.#memory.set(`sub:${record.subdomain}`, entry);
  }
}
