import { inspect } from 'node:util';

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Thrown by `eventually(description, …)` when the deadline passes: what was awaited, and what was seen. */
export class NotEventually extends Error {
  constructor(
    readonly description: string,
    readonly last: unknown,
    timeoutMs: number,
  ) {
    super(`${description}: not within ${timeoutMs} ms; last seen: ${inspect(last, { depth: 4 })}`);
    this.name = 'NotEventually';
  }
}

/**
 * Polls `probe` until it returns a value that `done` accepts, and returns that value. Deadlines are
 * generous: the suites share 2 loaded cores, and a test must fail on behaviour, not on a slow machine.
 *
 * With a description first, a deadline that passes throws a `NotEventually` naming what was awaited
 * and the last value seen. Without one (the older form) the last value is returned either way, for
 * the caller's assertion to report.
 */
export function eventually<T>(
  description: string,
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  options?: EventuallyOptions,
): Promise<T>;
export function eventually<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  options?: EventuallyOptions,
): Promise<T>;
export async function eventually<T>(...args: unknown[]): Promise<T> {
  const described = typeof args[0] === 'string';
  const [probe, done, options = {}] = (described ? args.slice(1) : args) as [
    () => Promise<T> | T,
    (value: T) => boolean,
    EventuallyOptions | undefined,
  ];
  const { timeoutMs = 10_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await probe();
  }
  if (described && !done(value)) throw new NotEventually(args[0] as string, value, timeoutMs);
  return value;
}
