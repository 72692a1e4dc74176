import type { Clock } from '../../../contract/src/clock.ts';

/**
 * A per-cluster circuit breaker. After `failures` consecutive failures it opens: callers fail fast
 * for `cooldownMs`, then one trial is let through (half-open); its success closes the breaker,
 * its failure opens it for another cooldown.
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

  failure(): void {
    this.#trialInFlight = false;
    this.#consecutiveFailures++;
    if (this.#openedAt !== undefined || this.#consecutiveFailures >= this.failures)
      this.#openedAt = this.clock.now();
  }
}

const UNAVAILABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClosedError',
  'MongoTopologyClosedError',
  'MongooseServerSelectionError',
]);

/** Socket errors that can surface unwrapped when a server dies mid-conversation. */
const SOCKET_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/** Errors that say the cluster cannot be reached, as opposed to a bad query or a duplicate key. */
export function isClusterUnavailable(error: unknown): boolean {
  type Chain = { name?: string; code?: unknown; message?: string; cause?: unknown } | undefined;
  for (let e = error as Chain, depth = 0; e && depth < 4; depth++) {
    if (e.name && UNAVAILABLE.has(e.name)) return true;
    if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return true;
    if (e.message === 'This socket has been ended by the other party') return true;
    e = e.cause as Chain;
  }
  return false;
}
