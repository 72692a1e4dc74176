import { type Clock, systemClock, type Timer } from '../../../contract/src/clock.ts';
import { type BackoffPolicy, backoffDelay } from './backoff.ts';

/**
 * The controller's work queue, after client-go's: keys are de-duplicated while waiting, a key is
 * processed by one worker at a time (an add during processing re-queues it once, afterwards), at
 * most `concurrency` keys run at once, and failures are retried with per-key exponential backoff.
 */
export type ReconcileOutcome = { requeueAfterMs?: number } | undefined;
export type KeyHandler = (key: string) => Promise<ReconcileOutcome>;

export interface WorkQueueOptions {
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  /** Called after each handled key, for metrics and logs. */
  readonly onResult?: (key: string, result: 'success' | 'error', durationMs: number, error?: unknown) => void;
  readonly random?: () => number;
  /** Time and timers for delayed adds (default: the system clock). */
  readonly clock?: Clock;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #ready: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: Timer }>();
  readonly #clock: Clock;
  #handler: KeyHandler | null = null;
  #running = 0;
  #shuttingDown = false;
  #idle: Array<() => void> = [];

  constructor(options: WorkQueueOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Keys waiting to run (not counting delayed retries). */
  get depth(): number {
    return this.#ready.length;
  }

  get inFlight(): number {
    return this.#processing.size;
  }

  /** Failures recorded for a key since its last success. */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (!this.#processing.has(key)) {
      this.#ready.push(key);
      this.#pump();
    }
  }

  /** Adds the key after `delayMs`; an earlier pending add for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.#clock.now() + delayMs;
    const pending = this.#timers.get(key);
    if (pending && pending.at <= at) return;
    pending?.timer.cancel();
    const timer = this.#clock.setTimeout(
      () => {
        this.#timers.delete(key);
        this.add(key);
      },
      delayMs,
      { keepAlive: true },
    );
    this.#timers.set(key, { at, timer });
  }

  /** Re-adds a failed key after its backoff; returns the delay chosen. */
  addRateLimited(key: string): number {
    const attempt = this.#failures.get(key) ?? 0;
    this.#failures.set(key, attempt + 1);
    const delay = backoffDelay(this.#options.backoff, attempt, this.#options.random);
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  start(handler: KeyHandler): void {
    this.#handler = handler;
    this.#pump();
  }

  /** Stops taking work and resolves when the keys in flight have finished. */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    for (const { timer } of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    this.#ready.length = 0;
    if (this.#running === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /** Resolves when nothing is queued or running (for tests and orderly hand-over). */
  async drained(): Promise<void> {
    if (this.#running === 0 && this.#ready.length === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    const handler = this.#handler;
    if (!handler) return;
    while (!this.#shuttingDown && this.#running < this.#options.concurrency && this.#ready.length > 0) {
      const key = this.#ready.shift() as string;
      this.#dirty.delete(key);
      this.#processing.add(key);
      this.#running++;
      void this.#process(handler, key);
    }
  }

  async #process(handler: KeyHandler, key: string): Promise<void> {
    const started = performance.now();
    try {
      const outcome = await handler(key);
      this.forget(key);
      this.#options.onResult?.(key, 'success', performance.now() - started);
      if (outcome?.requeueAfterMs !== undefined) this.addAfter(key, outcome.requeueAfterMs);
    } catch (error) {
      this.#options.onResult?.(key, 'error', performance.now() - started, error);
      this.addRateLimited(key);
    } finally {
      this.#processing.delete(key);
      this.#running--;
      // Added again while it ran: it goes to the back of the line now.
      if (this.#dirty.has(key) && !this.#shuttingDown) this.#ready.push(key);
      this.#pump();
      if (this.#running === 0 && (this.#ready.length === 0 || this.#shuttingDown)) {
        for (const resolve of this.#idle.splice(0)) resolve();
      }
    }
  }
}
