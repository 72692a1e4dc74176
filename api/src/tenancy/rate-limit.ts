import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Plan } from '../../../contract/src/registry/index.ts';

/** INCR the window's counter, set its expiry on first use; answer [count, ms left in window]. */
const WINDOW_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
  /** Header values per draft-ietf-httpapi-ratelimit-headers. */
  headers: Record<string, string>;
}

/**
 * Per-tenant request limits by plan, counted in Redis so they hold across every API pod: a fixed
 * window per tenant. If Redis cannot answer, requests are let through (and logged): an outage of
 * the limiter must not become an outage of the LMS.
 */
export class TenantRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limits: Partial<Record<Plan, number>>,
    private readonly windowMs: number,
    private readonly logger: Logger,
    private readonly prefix = 'atrium',
  ) {
    redis.defineCommand('atriumWindow', { numberOfKeys: 1, lua: WINDOW_SCRIPT });
  }

  async take(tenantId: string, plan: Plan): Promise<RateDecision | undefined> {
    const limit = this.limits[plan];
    if (limit === undefined) return undefined;
    let count: number;
    let ttl: number;
    try {
      const windowIndex = Math.floor(Date.now() / this.windowMs);
      const key = `${this.prefix}:v1:rate:${tenantId}:${windowIndex}`;
      [count, ttl] = (await (
        this.redis as Redis & { atriumWindow(key: string, windowMs: number): Promise<[number, number]> }
      ).atriumWindow(key, this.windowMs)) as [number, number];
    } catch (error) {
      this.logger.warn({ err: error }, 'rate limiter unavailable; request let through');
      return undefined;
    }
    const remaining = Math.max(0, limit - count);
    const resetSeconds = Math.max(1, Math.ceil(ttl / 1000));
    const policy = `"${plan}";q=${limit};w=${Math.ceil(this.windowMs / 1000)}`;
    const headers: Record<string, string> = {
      'RateLimit-Policy': policy,
      RateLimit: `"${plan}";r=${remaining};t=${resetSeconds}`,
    };
    const allowed = count <= limit;
    if (!allowed) headers['Retry-After'] = String(resetSeconds);
    return { allowed, limit, remaining, resetSeconds, headers };
  }
}
