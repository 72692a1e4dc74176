import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ApiProblem } from '../errors/catalogue.ts';
import { clientBlock } from '../http/client-address.ts';
import { withinDeadline } from '../http/deadline.ts';

/**
 * Checks every counter of an attempt and, only if none is at its limit, counts the attempt in all
 * of them, atomically: a burst of parallel guesses cannot all pass the check before any is counted.
 * KEYS are the counters, ARGV their limits then the window (s). Answers {1} when counted, or
 * {0, index of the counter at its limit, its seconds left}.
 */
const RESERVE_SCRIPT = `
local window = ARGV[#KEYS + 1]
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
    return {0, i, redis.call('TTL', KEYS[i])}
  end
end
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], window, 'NX')
end
return {1}
`;

/**
 * A login that succeeded was not a failure: its count is taken back from the account and the
 * address, and the (account, address) counter is cleared — that address knows the password.
 * KEYS: (account, address), account, address.
 */
const RELEASE_SCRIPT = `
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1
`;

type ReserveCommand = (...args: Array<string | number>) => Promise<[number, number?, number?]>;
type ReleaseCommand = (...args: string[]) => Promise<number>;
type ThrottleRedis = Redis & { atriumLoginReserve: ReserveCommand; atriumLoginRelease: ReleaseCommand };

export interface LoginLimits {
  /** Failures one address may make on one account: what a user's typos need, and no more. */
  perAccountAddress: number;
  /**
   * Failures on one account from every address together. Larger than `perAccountAddress`, so one
   * address alone can never lock an account: it takes `perAccount / perAccountAddress` of them.
   */
  perAccount: number;
  /** Failures from one address over every account of the tenant (password spraying). */
  perAddress: number;
  windowSeconds: number;
}

/** An attempt counted by `begin`, to settle with `succeeded` when the password was right. */
export interface LoginAttempt {
  readonly keys: readonly [string, string, string];
}

/**
 * Slows password guessing without handing an attacker a way to lock others out. Every attempt is
 * counted in Redis (so the limits hold across pods), before the password is checked, in three
 * counters over a window:
 *
 * - per (account, client address): a guesser at one account from one address stops here;
 * - per account, from all addresses: only a guesser with many addresses gets here, and then the
 *   account is throttled for everyone until the window ends (the price of stopping a botnet);
 * - per client address, over all accounts: a sprayer stops here, other addresses are unaffected.
 *
 * A successful login takes its count back. The client address is Koa's `ctx.ip`, which follows
 * X-Forwarded-For only as far as the configured trusted proxies (TRUST_PROXY_HOPS); IPv6 clients
 * are counted by /64, the block one subscriber holds.
 */
export class LoginThrottle {
  readonly #redis: ThrottleRedis;
  readonly #limits: LoginLimits;
  readonly #prefix: string;

  constructor(redis: Redis, limits: LoginLimits, prefix = 'atrium') {
    redis.defineCommand('atriumLoginReserve', { numberOfKeys: 3, lua: RESERVE_SCRIPT });
    redis.defineCommand('atriumLoginRelease', { numberOfKeys: 3, lua: RELEASE_SCRIPT });
    this.#redis = redis as ThrottleRedis;
    this.#limits = limits;
    this.#prefix = `${prefix}:v2:login`;
  }

  /** Counts an attempt, or refuses it (429 `login-throttled`) when any counter is at its limit. */
  async begin(tenantId: string, email: string, address: string): Promise<LoginAttempt> {
    const account = createHash('sha256').update(email).digest('base64url').slice(0, 22);
    const client = clientBlock(address);
    const keys = [
      `${this.#prefix}:acct-addr:${tenantId}:${account}:${client}`,
      `${this.#prefix}:acct:${tenantId}:${account}`,
      `${this.#prefix}:addr:${tenantId}:${client}`,
    ] as const;
    const { perAccountAddress, perAccount, perAddress, windowSeconds } = this.#limits;
    let answer: [number, number?, number?];
    try {
      answer = await withinDeadline(
        this.#redis.atriumLoginReserve(...keys, perAccountAddress, perAccount, perAddress, windowSeconds),
        'redis',
      );
    } catch (error) {
      // Without its counters the throttle cannot hold: no password is checked meanwhile.
      throw new ApiProblem('login-unavailable', { cause: error, headers: { 'Retry-After': '1' } });
    }
    if (answer[0] !== 1) {
      const seconds = Math.max(Number(answer[2] ?? 1), 1);
      throw new ApiProblem('login-throttled', { headers: { 'Retry-After': String(seconds) } });
    }
    return { keys };
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.#redis.atriumLoginRelease(...attempt.keys).catch(() => undefined);
  }
}
