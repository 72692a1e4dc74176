import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../contract/src/clock.ts';
import { type InvalidationMessage, publishInvalidation } from '../../contract/src/registry/index.ts';
import { describeError } from './safe-message.ts';

export type Invalidation = Omit<InvalidationMessage, 'v' | 'at'>;

/**
 * Where the operator's registry invalidations go. A publish Redis cannot take (down, stalled past
 * its command timeout) never fails or holds a reconcile: the message is kept — the newest per
 * record, merged — and published again with backoff until Redis takes it. Meanwhile API pods serve
 * at most their cache TTL of staleness, which is the bound either way.
 */
export class InvalidationOutbox {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #retryMs: { base: number; max: number };
  readonly #pending = new Map<string, Invalidation>();
  #attempt = 0;
  #timer: Timer | undefined;
  #flushing: Promise<void> | undefined;

  constructor(options: {
    redis: Redis;
    clock: Clock;
    logger: Logger;
    retryMs?: { base: number; max: number };
  }) {
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#retryMs = options.retryMs ?? { base: 500, max: 30_000 };
  }

  /** Invalidations waiting for Redis. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Publishes now, or keeps the message for a retry; never throws. */
  async publish(message: Invalidation): Promise<void> {
    if (this.#pending.size > 0) {
      this.#keep(message);
      await this.flush();
      return;
    }
    try {
      await publishInvalidation(this.#redis, message);
    } catch (error) {
      this.#keep(message);
      this.#logger.warn(
        { kind: message.kind, id: message.id, err: describeError(error) },
        'invalidation not published; it will be retried',
      );
      this.#schedule();
    }
  }

  /** Tries every pending invalidation now. */
  async flush(): Promise<void> {
    this.#flushing ??= this.#publishPending().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  close(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #keep(message: Invalidation): void {
    const key = `${message.kind}:${message.id}`;
    const earlier = this.#pending.get(key);
    const subdomains = [...new Set([...(earlier?.subdomains ?? []), ...(message.subdomains ?? [])])].slice(
      -4,
    );
    const generation = Math.max(earlier?.generation ?? 0, message.generation ?? 0);
    this.#pending.set(key, {
      ...message,
      ...(generation > 0 ? { generation } : {}),
      ...(subdomains.length > 0 ? { subdomains } : {}),
    });
  }

  async #publishPending(): Promise<void> {
    for (const [key, message] of this.#pending) {
      try {
        await publishInvalidation(this.#redis, message);
        if (this.#pending.get(key) === message) this.#pending.delete(key);
      } catch {
        this.#schedule();
        return;
      }
    }
    if (this.#attempt > 0) this.#logger.info('pending invalidations published');
    this.#attempt = 0;
  }

  #schedule(): void {
    if (this.#timer) return;
    const delay = Math.min(this.#retryMs.max, this.#retryMs.base * 2 ** this.#attempt++);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, delay);
  }
}
