import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { TenantRecord } from '../../../contract/src/registry/index.ts';
import { claimedTenant, type Principal, TokenRejected, verifyAccessToken } from './tokens.ts';

/** A verified token: who it is for, and the registry generation of the keys that verified it. */
interface Verified {
  principal: Principal;
  generation: number;
}

/** What an entry costs in memory, roughly: the key (a hash), the strings it holds, and fixed overhead. */
function entryBytes(entry: Verified): number {
  const { tenantId, userId, tokenId = '' } = entry.principal;
  return 256 + 2 * (tenantId.length + userId.length + tokenId.length);
}

/**
 * Remembers tokens already verified, so a client's repeated requests skip the signature check
 * (about 100 µs with jose, most of a cached request's cost). Only verified tokens are kept, and
 * under the SHA-256 of the token, never the token itself: what a client sends that does not verify
 * costs no memory here, and one that does costs a few hundred bytes whatever its length. The cache
 * is bounded in bytes (`maxBytes`), an entry lives no longer than its token, and a registry change
 * of its tenant (a new generation: keys may have rotated) verifies it afresh. Revocation is checked
 * on every request regardless (in memory, see revocations.ts).
 */
export class VerifiedTokenCache {
  readonly maxBytes: number;
  readonly #cache: LRUCache<string, Verified>;
  /** The last token hashed and its hash: a request asks for its token's tenant, then verifies it. */
  #last: { token: string; key: string } | undefined;

  constructor(maxBytes = 8 * 1024 * 1024) {
    this.maxBytes = maxBytes;
    this.#cache = new LRUCache<string, Verified>({ maxSize: maxBytes, sizeCalculation: entryBytes });
  }

  /**
   * The tenant a token claims: from the cache when this pod verified it before, else read from
   * the token unverified (claimedTenant of tokens.ts) and not remembered.
   */
  claimedTenant(token: string): string | undefined {
    return this.#cache.get(this.#key(token))?.principal.tenantId ?? claimedTenant(token);
  }

  async verify(token: string, tenant: TenantRecord, now: Date): Promise<Principal> {
    const key = this.#key(token);
    const seconds = Math.floor(now.getTime() / 1000);
    const hit = this.#cache.get(key);
    if (hit && hit.principal.tenantId === tenant.tenantId && hit.generation === tenant.generation) {
      if (hit.principal.expiresAt > seconds) return hit.principal;
      this.#cache.delete(key);
      throw new TokenRejected('expired');
    }
    const principal = await verifyAccessToken(token, tenant, now);
    this.#cache.set(
      key,
      { principal, generation: tenant.generation },
      { ttl: Math.max(1, (principal.expiresAt - seconds) * 1000) },
    );
    return principal;
  }

  /** Tokens held. */
  get entries(): number {
    return this.#cache.size;
  }

  /** Bytes held, by the cache's own accounting; never more than `maxBytes`. */
  get bytes(): number {
    return this.#cache.calculatedSize;
  }

  #key(token: string): string {
    if (this.#last?.token !== token) {
      this.#last = { token, key: createHash('sha256').update(token).digest('base64url') };
    }
    return this.#last.key;
  }
}
