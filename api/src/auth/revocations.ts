import type { Redis } from 'ioredis';

/**
 * Access tokens are short-lived and verified without a database read; to make them stop working
 * at once when an account is deactivated (or changes its password), the moment of revocation is
 * kept in Redis, shared by every pod, for as long as a token issued before it could live.
 */
export class AccountRevocations {
  constructor(
    private readonly redis: Redis,
    private readonly accessTtlSeconds: number,
    private readonly prefix = 'atrium',
  ) {}

  /** The Redis key holding an account's revocation time (read by the request admission script too). */
  keyFor(tenantId: string, accountId: string): string {
    return `${this.prefix}:v1:revoked:${tenantId}:${accountId}`;
  }

  /** Every token of the account issued up to now stops working. */
  async revoke(tenantId: string, accountId: string, now = new Date()): Promise<void> {
    const at = Math.floor(now.getTime() / 1000);
    await this.redis.set(this.keyFor(tenantId, accountId), String(at), 'EX', this.accessTtlSeconds + 60);
  }

  /** Whether a token issued at `issuedAt` (seconds) was revoked since. Fails closed if Redis is down. */
  async isRevoked(tenantId: string, accountId: string, issuedAt: number): Promise<boolean> {
    const value = await this.redis.get(this.keyFor(tenantId, accountId));
    return value !== null && issuedAt <= Number(value);
  }
}
