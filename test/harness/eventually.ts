/**
 * Polls `probe` until it returns a value that `done` accepts, or the deadline passes; returns the
 * last value either way, so the caller's assertion reports what was seen. Deadlines are generous:
 * the suites share 2 loaded cores, and a test must fail on behaviour, not on a slow machine.
 */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await probe();
  }
  return value;
}
