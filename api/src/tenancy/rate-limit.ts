import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../../../contract/src/clock.ts';
import type { Plan } from '../../../contract/src/registry/index.ts';
import { withinDeadline } from '../http/deadline.ts';

/**
 * Grants up to ARGV[3] requests of the window KEYS[1] without passing ARGV[2] (the limit); the
 * window expires ARGV[1] ms after its first grant. Answers [granted, count after, ms left].
 */
const GRANT_SCRIPT = `
local limit, want = tonumber(ARGV[2]), tonumber(ARGV[3])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.max(0, math.min(want, limit - count))
if grant > 0 then
  count = redis.call('INCRBY', KEYS[1], grant)
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  if count > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
  ttl = tonumber(ARGV[1])
end
return {grant, count, ttl}
`;

type GrantCommand = (
  windowKey: string,
  windowMs: number,
  limit: number,
  want: number,
) => Promise<[number, number, number]>;

/**
 * Which budget of its tenant a request spends: `requests`, the plan's limit, for requests with a
 * verified access token; `anonymous`, a share of it, for the rest (logins above all). Anonymous
 * traffic, which anyone can send, can exhaust only its own budget, never signed-in users'.
 */
export type RateBucket = 'requests' | 'anonymous';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
  /** Header values per draft-ietf-httpapi-ratelimit-headers. */
  headers: Record<string, string>;
}

/** This pod's share of one tenant's current window: what Redis granted it, and what is left. */
interface WindowShare {
  /** Its key in the pod's map: the tenant id, and the bucket unless `requests`. */
  key: string;
  bucket: RateBucket;
  window: number;
  /** Requests granted to this pod and not used yet. */
  left: number;
  /** The window's count in Redis at the last grant (every pod's grants). */
  count: number;
  /** When the window ends (ms since epoch). */
  resetsAt: number;
  /** Redis granted nothing: refuse locally until the window ends. */
  exhausted: boolean;
  pending: Promise<void> | undefined;
}

export interface TenantRateLimiterOptions {
  redis: Redis;
  limits: Partial<Record<Plan, number>>;
  windowMs: number;
  logger: Logger;
  prefix?: string | undefined;
  /** Largest batch a pod takes from Redis at once (default 100). */
  maxBatch?: number | undefined;
  /** Batch size as a share of the limit (default 0.01: a pod holds at most 1 % of it unused). */
  batchShare?: number | undefined;
  /** The anonymous budget as a share of the plan's limit (default 0.25, at least 1 request). */
  anonymousShare?: number | undefined;
  /** Windows are this clock's minutes (or whatever `windowMs` says). */
  clock: Clock;
}

/**
 * Per-tenant request limits by plan, counted in Redis so they hold across every API pod: a fixed
 * window per tenant and bucket (RateBucket: signed-in requests, and anonymous ones apart).
 *
 * A pod does not ask Redis per request: it takes a batch of the window's requests at once (1 % of
 * the limit, at most `maxBatch`, at least 1) and spends it locally. Redis never grants more than the
 * limit, so the pods together never admit more than it; a pod's unspent batch at most refuses that
 * many requests early elsewhere. When Redis grants nothing the pod refuses locally until the window
 * ends. If Redis cannot answer, requests are let through (and logged): an outage of the limiter
 * must not become an outage of the LMS.
 */
export class TenantRateLimiter {
  readonly #options: TenantRateLimiterOptions;
  readonly #shares = new Map<string, WindowShare>();
  readonly #clock: Clock;
  readonly #prefix: string;
  readonly #windowSeconds: number;
  #sweptWindow = -1;
  #warnedWindow = -1;

  constructor(options: TenantRateLimiterOptions) {
    this.#options = options;
    this.#clock = options.clock;
    this.#prefix = options.prefix ?? 'atrium';
    this.#windowSeconds = Math.ceil(options.windowMs / 1000);
    options.redis.defineCommand('atriumGrant', { numberOfKeys: 1, lua: GRANT_SCRIPT });
  }

  /** How many requests a pod takes from Redis at once for a limit. */
  batchFor(limit: number): number {
    const fraction = this.#options.batchShare ?? 0.01;
    return Math.max(1, Math.min(this.#options.maxBatch ?? 100, Math.floor(limit * fraction)));
  }

  /** The limit of a plan's bucket; undefined when the plan is not limited. */
  limitFor(plan: Plan, bucket: RateBucket = 'requests'): number | undefined {
    const limit = this.#options.limits[plan];
    if (limit === undefined || bucket === 'requests') return limit;
    return Math.max(1, Math.floor(limit * (this.#options.anonymousShare ?? 0.25)));
  }

  /**
   * Counts one request against its tenant's limit (of `bucket`). Synchronous while the pod holds
   * part of the window; a promise when it has to ask Redis. Undefined when the plan has no limit,
   * or the limiter could not be asked.
   */
  take(
    tenantId: string,
    plan: Plan,
    bucket: RateBucket = 'requests',
  ): RateDecision | undefined | Promise<RateDecision | undefined> {
    const limit = this.limitFor(plan, bucket);
    if (limit === undefined) return undefined;
    const now = this.#clock.now();
    const window = Math.floor(now / this.#options.windowMs);
    if (window !== this.#sweptWindow) this.#sweep(window);
    const shareKey = bucket === 'requests' ? tenantId : `${tenantId}\u0000${bucket}`;
    let share = this.#shares.get(shareKey);
    if (!share || share.window !== window) {
      share = {
        key: shareKey,
        bucket,
        window,
        left: 0,
        count: 0,
        resetsAt: (window + 1) * this.#options.windowMs,
        exhausted: false,
        pending: undefined,
      };
      this.#shares.set(shareKey, share);
    }
    return this.#spend(tenantId, plan, limit, share, now);
  }

  #spend(
    tenantId: string,
    plan: Plan,
    limit: number,
    share: WindowShare,
    now: number,
  ): RateDecision | undefined | Promise<RateDecision | undefined> {
    if (share.left > 0) {
      share.left--;
      return this.#decide(
        share.bucket,
        plan,
        limit,
        Math.max(0, limit - share.count + share.left),
        share.resetsAt - now,
        true,
      );
    }
    if (share.exhausted) return this.#decide(share.bucket, plan, limit, 0, share.resetsAt - now, false);
    // One request to Redis per tenant at a time; the others wait for its batch.
    share.pending ??= this.#refill(tenantId, limit, share).finally(() => {
      share.pending = undefined;
    });
    return share.pending.then(
      () => {
        const now = this.#clock.now();
        // The window ended while waiting: count against the new one, never refill an old key.
        if (
          this.#shares.get(share.key) !== share ||
          Math.floor(now / this.#options.windowMs) !== share.window
        ) {
          return this.take(tenantId, plan, share.bucket);
        }
        return this.#spend(tenantId, plan, limit, share, now);
      },
      () => undefined,
    );
  }

  async #refill(tenantId: string, limit: number, share: WindowShare): Promise<void> {
    const name = share.bucket === 'requests' ? 'rate' : `rate-${share.bucket}`;
    const key = `${this.#prefix}:v1:${name}:${tenantId}:${share.window}`;
    try {
      const [granted, count, ttl] = await withinDeadline(
        (this.#options.redis as Redis & { atriumGrant: GrantCommand }).atriumGrant(
          key,
          this.#options.windowMs,
          limit,
          this.batchFor(limit),
        ),
        'redis',
      );
      share.left += granted;
      share.count = count;
      share.resetsAt = Math.min(share.resetsAt, this.#clock.now() + ttl);
      if (granted === 0) share.exhausted = true;
    } catch (error) {
      // Once per window at most: an outage must not turn every request into a log line.
      if (this.#warnedWindow !== share.window) {
        this.#warnedWindow = share.window;
        this.#options.logger.warn(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'rate limiter unavailable; requests let through',
        );
      }
      throw error;
    }
  }

  /** Forgets the shares of windows that are over (once per window). */
  #sweep(window: number): void {
    this.#sweptWindow = window;
    for (const [key, share] of this.#shares) {
      if (share.window < window && !share.pending) this.#shares.delete(key);
    }
  }

  #decide(
    bucket: RateBucket,
    plan: Plan,
    limit: number,
    remaining: number,
    msLeft: number,
    allowed: boolean,
  ): RateDecision {
    const resetSeconds = Math.max(1, Math.ceil(msLeft / 1000));
    const policy = bucket === 'requests' ? plan : `${plan}-${bucket}`;
    const headers: Record<string, string> = {
      'RateLimit-Policy': `"${policy}";q=${limit};w=${this.#windowSeconds}`,
      RateLimit: `"${policy}";r=${remaining};t=${resetSeconds}`,
    };
    if (!allowed) headers['Retry-After'] = String(resetSeconds);
    return { allowed, limit, remaining, resetSeconds, headers };
  }
}
