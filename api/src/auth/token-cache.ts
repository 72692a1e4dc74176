import { LRUCache } from 'lru-cache';
import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import { claimedTenant, type Principal, TokenRejected, verifyAccessToken } from './tokens.ts';

/**
 * Remembers tokens already verified, so a client's repeated requests skip the signature check
 * (about 100 µs with jose, most of a cached request's cost). The key holds the whole token and the
 * tenant's registry generation, so a key rotation or any registry change verifies afresh; an entry
 * lives no longer than its token. Revocation is checked on every request regardless (in memory,
 * see revocations.ts).
 */
export class VerifiedTokenCache {
  readonly #cache: LRUCache<string, Principal>;
  /** Token → the tenant it claims (unverified), so a repeated token is not decoded again. */
  readonly #claims: LRUCache<string, string>;

  constructor(max = 20_000) {
    this.#cache = new LRUCache<string, Principal>({ max });
    this.#claims = new LRUCache<string, string>({ max });
  }

  /** `claimedTenant` of tokens.ts, remembered per token (only well-formed claims are kept). */
  claimedTenant(token: string): string | undefined {
    const known = this.#claims.get(token);
    if (known !== undefined) return known;
    const claimed = claimedTenant(token);
    if (claimed !== undefined) this.#claims.set(token, claimed);
    return claimed;
  }

  async verify(token: string, tenant: TenantRecord, now: Date): Promise<Principal> {
    const key = `${tenant.tenantId}\u0000${tenant.generation}\u0000${token}`;
    const seconds = Math.floor(now.getTime() / 1000);
    const hit = this.#cache.get(key);
    if (hit) {
      if (hit.expiresAt > seconds) return hit;
      this.#cache.delete(key);
      throw new TokenRejected('expired');
    }
    const principal = await verifyAccessToken(token, tenant, now);
    this.#cache.set(key, principal, { ttl: Math.max(1, (principal.expiresAt - seconds) * 1000) });
    return principal;
  }

  get size(): number {
    return this.#cache.size;
  }
}
