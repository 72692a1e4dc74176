import type { Clock, Timer } from '../../../contract/src/clock.ts';
import { requestContext } from '../observability/request-context.ts';

/** What a request was waiting for when its deadline passed: it decides whom the failure is blamed on. */
export type DeadlineWait = 'database' | 'registry' | 'redis';

/** The reason every deadline signal aborts with, and what a wait cut short by a deadline throws. */
export class DeadlineExceeded extends Error {
  constructor(readonly waitingFor: DeadlineWait | undefined) {
    super(
      waitingFor
        ? `the request deadline passed while waiting for the ${waitingFor}`
        : 'the request deadline passed',
    );
    this.name = 'DeadlineExceeded';
  }
}

/**
 * The end-to-end deadline of one request (REQUEST_DEADLINE_MS from its start). Every wait made on
 * the request's behalf inherits what is left of it: database operations carry `signal('database')`
 * and `maxTimeMS: remainingMs()`, Redis and registry waits are `race`d against it. When it passes,
 * each signal aborts with a `DeadlineExceeded` naming what was being waited for, so the error that
 * ends the request says whom to blame (a cluster's breaker hears only of its own timeouts).
 */
export class Deadline {
  readonly at: number;
  readonly #clock: Clock;
  readonly #controllers = new Map<DeadlineWait | 'request', AbortController>();
  readonly #timer: Timer;
  #expired = false;

  constructor(clock: Clock, ms: number) {
    this.#clock = clock;
    this.at = clock.now() + ms;
    this.#timer = clock.setTimeout(() => this.#expire(), ms);
  }

  get expired(): boolean {
    return this.#expired || this.#clock.now() >= this.at;
  }

  /** Milliseconds left, at least 1 while not expired (0 once it has). */
  remainingMs(): number {
    return this.expired ? 0 : Math.max(1, this.at - this.#clock.now());
  }

  /** A signal that aborts at the deadline with a `DeadlineExceeded` naming `waitingFor`. */
  signal(waitingFor?: DeadlineWait): AbortSignal {
    const key = waitingFor ?? 'request';
    let controller = this.#controllers.get(key);
    if (!controller) {
      controller = new AbortController();
      this.#controllers.set(key, controller);
      if (this.#expired) controller.abort(new DeadlineExceeded(waitingFor));
    }
    return controller.signal;
  }

  /** `promise`, unless the deadline passes first: then a `DeadlineExceeded` naming `waitingFor`. */
  race<T>(promise: Promise<T>, waitingFor?: DeadlineWait): Promise<T> {
    const signal = this.signal(waitingFor);
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** The request is over: no timer left behind. */
  cancel(): void {
    this.#timer.cancel();
  }

  #expire(): void {
    this.#expired = true;
    for (const [key, controller] of this.#controllers) {
      controller.abort(new DeadlineExceeded(key === 'request' ? undefined : key));
    }
  }
}

/** The deadline of the request being served, if any (background work has none). */
export function currentDeadline(): Deadline | undefined {
  return requestContext.getStore()?.deadline;
}

/** `promise` bounded by the current request's deadline (as is, outside a request). */
export function withinDeadline<T>(promise: Promise<T>, waitingFor: DeadlineWait): Promise<T> {
  const deadline = currentDeadline();
  return deadline ? deadline.race(promise, waitingFor) : promise;
}
