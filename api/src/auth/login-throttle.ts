import type { Redis } from 'ioredis';
import { ApiProblem } from '../errors/catalogue.ts';

/**
 * Slows password guessing: failed logins are counted per account and per client address in
 * Redis (so the limit holds across pods) over a window; past the limit, logins are refused with
 * 429 until the window ends. A successful login clears the account's count.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly options: {
      perAccount: number;
      perAddress: number;
      windowSeconds: number;
      prefix?: string;
    },
  ) {}

  #keys(tenantId: string, email: string, address: string): [string, string] {
    const prefix = `${this.options.prefix ?? 'atrium'}:v1:login`;
    return [`${prefix}:acct:${tenantId}:${email}`, `${prefix}:addr:${tenantId}:${address}`];
  }

  async assertAllowed(tenantId: string, email: string, address: string): Promise<void> {
    const [account, addr] = this.#keys(tenantId, email, address);
    const [a, b] = await this.redis.mget(account, addr);
    if (Number(a ?? 0) >= this.options.perAccount || Number(b ?? 0) >= this.options.perAddress) {
      const ttl = Math.max(
        await this.redis.ttl(Number(a ?? 0) >= this.options.perAccount ? account : addr),
        1,
      );
      throw new ApiProblem('login-throttled', { headers: { 'Retry-After': String(ttl) } });
    }
  }

  async recordFailure(tenantId: string, email: string, address: string): Promise<void> {
    const [account, addr] = this.#keys(tenantId, email, address);
    await this.redis
      .multi()
      .incr(account)
      .expire(account, this.options.windowSeconds, 'NX')
      .incr(addr)
      .expire(addr, this.options.windowSeconds, 'NX')
      .exec();
  }

  async recordSuccess(tenantId: string, email: string, address: string): Promise<void> {
    await this.redis.del(this.#keys(tenantId, email, address)[0]);
  }
}
