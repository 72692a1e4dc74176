/**
 * Time, as both halves of Atrium read it: the one place that calls the platform's clock and
 * timers. Everything that reads the time, waits or schedules takes a `Clock`, so tests control
 * time (test/harness/manual-clock.ts) instead of sleeping.
 */
export interface Timer {
  /** Stops the timer; a no-op once it has fired (a timeout) or been cancelled. */
  cancel(): void;
}

export interface TimerOptions {
  /** Whether the timer alone keeps the process alive (default false: background work never does). */
  readonly keepAlive?: boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** `now()` as a Date. */
  date(): Date;
  /** Calls `callback` once, `ms` from now. */
  setTimeout(callback: () => void, ms: number, options?: TimerOptions): Timer;
  /** Calls `callback` every `ms`, first `ms` from now. */
  setInterval(callback: () => void, ms: number, options?: TimerOptions): Timer;
  /** Resolves `ms` from now; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function platformTimer(handle: NodeJS.Timeout, options: TimerOptions | undefined, clear: () => void): Timer {
  if (!options?.keepAlive) handle.unref();
  return { cancel: clear };
}

/** The machine's clock and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  date: () => new Date(),
  setTimeout(callback, ms, options) {
    const handle = setTimeout(callback, ms);
    return platformTimer(handle, options, () => clearTimeout(handle));
  },
  setInterval(callback, ms, options) {
    const handle = setInterval(callback, ms);
    return platformTimer(handle, options, () => clearInterval(handle));
  },
  sleep: (ms, signal) => sleepOn(systemClock, ms, signal, true),
};

/**
 * `sleep` for any clock: a timer, cancelled if `signal` aborts first. `keepAlive` keeps the process
 * alive while someone awaits it (a plain `await sleep(…)` must not let the process exit under it).
 */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal, keepAlive = true): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      { keepAlive },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
