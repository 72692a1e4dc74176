import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Plan } from '../../../contract/src/registry/index.ts';

/**
 * One round trip per request: when ARGV[2] is 1, INCR the window's counter (expiry set on first
 * use); when ARGV[3] is 1, read the account's revocation time. Answers
 * [count, ms left in window, revoked-at seconds], -1 for what was not asked or not set.
 */
const ADMISSION_SCRIPT = `
local count, ttl, revoked = -1, -1, -1
if ARGV[2] == '1' then
  count = redis.call('INCR', KEYS[1])
  if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
  ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
end
if ARGV[3] == '1' then
  local at = redis.call('GET', KEYS[2])
  if at then revoked = tonumber(at) end
end
return {count, ttl, revoked}
`;

type AdmissionCommand = (
  windowKey: string,
  revocationKey: string,
  windowMs: number,
  count: '0' | '1',
  revocation: '0' | '1',
) => Promise<[number, number, number]>;

export interface Admission {
  /** Undefined when the plan has no limit, or the limiter could not be asked. */
  decision: RateDecision | undefined;
  /** Whether the token was issued before its account's tokens were revoked. */
  revoked: boolean;
}

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
    redis.defineCommand('atriumAdmission', { numberOfKeys: 2, lua: ADMISSION_SCRIPT });
  }

  async take(tenantId: string, plan: Plan): Promise<RateDecision | undefined> {
    return (await this.admit(tenantId, plan)).decision;
  }

  /**
   * Counts the request against its tenant's limit and, for a token, reads its account's
   * revocation time from the key `revocation.key` — both in one Redis round trip. A limiter outage
   * lets requests through; a revocation that cannot be read fails the request (closed).
   */
  async admit(
    tenantId: string,
    plan: Plan,
    revocation?: { key: string; issuedAt: number },
  ): Promise<Admission> {
    const limit = this.limits[plan];
    if (limit === undefined && !revocation) return { decision: undefined, revoked: false };
    const windowIndex = Math.floor(Date.now() / this.windowMs);
    const windowKey = `${this.prefix}:v1:rate:${tenantId}:${windowIndex}`;
    let answer: [number, number, number];
    try {
      answer = await (this.redis as Redis & { atriumAdmission: AdmissionCommand }).atriumAdmission(
        windowKey,
        revocation?.key ?? `${windowKey}:none`,
        this.windowMs,
        limit === undefined ? '0' : '1',
        revocation ? '1' : '0',
      );
    } catch (error) {
      if (revocation) throw error;
      this.logger.warn({ err: error }, 'rate limiter unavailable; request let through');
      return { decision: undefined, revoked: false };
    }
    const [count, ttl, revokedAt] = answer;
    const revoked = revocation !== undefined && revokedAt >= 0 && revocation.issuedAt <= revokedAt;
    return { decision: limit === undefined ? undefined : this.#decide(plan, limit, count, ttl), revoked };
  }

  #decide(plan: Plan, limit: number, count: number, ttl: number): RateDecision {
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
