import { LRUCache } from 'lru-cache';
import type { Clock } from '../../../contract/src/clock.ts';
import { ApiProblem } from '../errors/catalogue.ts';
import { clientBlock } from '../http/client-address.ts';

/** What the directory tells a request's budget about a look-up it cannot answer from memory. */
export interface LookupGuard {
  /** Before the look-up: throws (429 `tenant-lookups-throttled`) when the client is out of budget. */
  admit(): void;
  /** The look-up found no tenant by that name. */
  notFound(): void;
}

interface Spent {
  window: number;
  misses: number;
}

/**
 * Bounds what unknown tenant names cost a pod: a name not in its memory is a Redis read and maybe
 * a registry read, and random names are never in memory. Each client address (clientBlock) may
 * have `perAddress` look-ups that find nothing per window; past that, its look-ups that would leave
 * memory are refused until the window ends. Tenants the pod holds are served as before, and other
 * addresses are not affected. Kept in process (a bound on this pod's work, not a quota across
 * pods), for at most `maxAddresses` addresses, least recently seen dropped first.
 */
export class TenantLookupBudget {
  readonly #spent: LRUCache<string, Spent>;
  readonly #perAddress: number;
  readonly #windowMs: number;
  readonly #clock: Clock;

  constructor(options: { perAddress: number; windowMs: number; clock: Clock; maxAddresses?: number }) {
    this.#perAddress = options.perAddress;
    this.#windowMs = options.windowMs;
    this.#clock = options.clock;
    this.#spent = new LRUCache<string, Spent>({ max: options.maxAddresses ?? 100_000 });
  }

  guard(address: string): LookupGuard {
    return {
      admit: () => {
        const window = this.#window();
        const spent = this.#spent.get(clientBlock(address));
        if (spent?.window === window && spent.misses >= this.#perAddress) {
          const seconds = Math.max(1, Math.ceil(((window + 1) * this.#windowMs - this.#clock.now()) / 1000));
          throw new ApiProblem('tenant-lookups-throttled', { headers: { 'Retry-After': String(seconds) } });
        }
      },
      notFound: () => {
        const window = this.#window();
        const key = clientBlock(address);
        const spent = this.#spent.get(key);
        if (spent?.window === window) spent.misses++;
        else this.#spent.set(key, { window, misses: 1 });
      },
    };
  }

  #window(): number {
    return Math.floor(this.#clock.now() / this.#windowMs);
  }
}
