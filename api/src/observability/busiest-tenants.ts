import type { Clock } from '../../../contract/src/clock.ts';

export interface TenantActivity {
  tenantId: string;
  /** Requests per second, averaged with an exponential decay of the configured half-life. */
  requestsPerSecond: number;
  /** Answers with a 5xx per second, likewise. */
  errorsPerSecond: number;
  /** Mean time to answer, over the same decayed window. */
  meanSeconds: number;
}

interface Tally {
  requests: number;
  errors: number;
  seconds: number;
  /** When the tallies were last decayed. */
  at: number;
}

export interface BusiestTenantsOptions {
  clock: Clock;
  /** How many tenants are shown, by request rate and by error rate. */
  top: number;
  /** Half-life of the decayed rates: a tenant that stops is halfway out of the list after this long. */
  halfLifeMs: number;
  /** Tenants tracked at once; past twice this, the least busy are dropped (memory stays bounded). */
  tracked?: number;
}

/**
 * The busiest tenants of a pod, for per-tenant visibility at bounded metric cardinality: each
 * request is counted for its tenant as an exponentially decayed rate, at most `tracked` tenants are
 * kept (the least busy are dropped in batches, so a request costs O(1) amortised), and only the top
 * `top` by request rate and the top `top` by error rate are exported — at most 2 × top series per
 * metric, whatever the number of tenants.
 */
export class BusiestTenants {
  readonly #clock: Clock;
  readonly #top: number;
  readonly #tracked: number;
  /** Decay per millisecond, as ln 2 / half-life. */
  readonly #lambda: number;
  readonly #tallies = new Map<string, Tally>();

  constructor(options: BusiestTenantsOptions) {
    this.#clock = options.clock;
    this.#top = options.top;
    this.#tracked = options.tracked ?? Math.max(100, options.top * 50);
    this.#lambda = Math.LN2 / options.halfLifeMs;
  }

  record(tenantId: string, outcome: { error: boolean; seconds: number }): void {
    const now = this.#clock.now();
    let tally = this.#tallies.get(tenantId);
    if (tally) this.#decay(tally, now);
    else {
      tally = { requests: 0, errors: 0, seconds: 0, at: now };
      this.#tallies.set(tenantId, tally);
      if (this.#tallies.size > 2 * this.#tracked) this.#prune(now);
    }
    tally.requests += 1;
    tally.seconds += outcome.seconds;
    if (outcome.error) tally.errors += 1;
  }

  /** The tenants shown: the top by request rate, then those of the top by error rate not already in. */
  busiest(): TenantActivity[] {
    const now = this.#clock.now();
    const all = [...this.#tallies].map(([tenantId, tally]) => {
      this.#decay(tally, now);
      // A steady rate r gives a decayed count of r / λ.
      return {
        tenantId,
        requestsPerSecond: tally.requests * this.#lambda * 1000,
        errorsPerSecond: tally.errors * this.#lambda * 1000,
        meanSeconds: tally.requests > 0 ? tally.seconds / tally.requests : 0,
      };
    });
    const byRequests = [...all].sort((a, b) => b.requestsPerSecond - a.requestsPerSecond).slice(0, this.#top);
    const byErrors = all
      .filter((a) => a.errorsPerSecond > 0)
      .sort((a, b) => b.errorsPerSecond - a.errorsPerSecond)
      .slice(0, this.#top);
    const shown = new Map(byRequests.map((a) => [a.tenantId, a]));
    for (const a of byErrors) shown.set(a.tenantId, a);
    return [...shown.values()];
  }

  get trackedCount(): number {
    return this.#tallies.size;
  }

  #decay(tally: Tally, now: number): void {
    if (now <= tally.at) return;
    const factor = Math.exp(-this.#lambda * (now - tally.at));
    tally.requests *= factor;
    tally.errors *= factor;
    tally.seconds *= factor;
    tally.at = now;
  }

  /** Keeps the `tracked` busiest by request rate, and the `tracked / 4` with the most errors. */
  #prune(now: number): void {
    for (const tally of this.#tallies.values()) this.#decay(tally, now);
    const entries = [...this.#tallies];
    const keep = new Set(
      [
        ...[...entries].sort(([, a], [, b]) => b.requests - a.requests).slice(0, this.#tracked),
        ...entries
          .filter(([, t]) => t.errors > 0)
          .sort(([, a], [, b]) => b.errors - a.errors)
          .slice(0, Math.ceil(this.#tracked / 4)),
      ].map(([tenantId]) => tenantId),
    );
    for (const tenantId of this.#tallies.keys()) if (!keep.has(tenantId)) this.#tallies.delete(tenantId);
  }
}
