import type { Clock } from '../../../contract/src/clock.ts';

/**
 * A circuit breaker for one dependency (a cluster, the registry, Redis). After `failures`
 * consecutive failures it opens: callers fail fast for `cooldownMs`, then one trial is let through
 * (half-open); its success closes the breaker, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  #consecutiveFailures = 0;
  #openedAt: number | undefined;
  #trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly failures: number,
    private readonly cooldownMs: number,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed';
    return this.clock.now() - this.#openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Seconds until a trial is allowed: the Retry-After of a fast failure. */
  get retryAfterSeconds(): number {
    if (this.#openedAt === undefined) return 0;
    return Math.max(1, Math.ceil((this.cooldownMs - (this.clock.now() - this.#openedAt)) / 1000));
  }

  /** Whether a call may go ahead now. In half-open state only one trial at a time may. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  success(): void {
    this.#consecutiveFailures = 0;
    this.#openedAt = undefined;
    this.#trialInFlight = false;
  }

  /** A call that proved nothing either way (it failed for another reason): the trial slot is free again. */
  abstain(): void {
    this.#trialInFlight = false;
  }

  failure(): void {
    this.#trialInFlight = false;
    this.#consecutiveFailures++;
    if (this.#openedAt !== undefined || this.#consecutiveFailures >= this.failures)
      this.#openedAt = this.clock.now();
  }
}
