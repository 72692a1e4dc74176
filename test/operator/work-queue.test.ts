import { setImmediate as nextTurn } from 'node:timers/promises';
import test from 'ava';
import { backoffDelay } from '../../operator/src/kube/backoff.ts';
import { WorkQueue } from '../../operator/src/kube/work-queue.ts';
import { ManualClock } from '../harness/manual-clock.ts';

const fastBackoff = { baseMs: 5, maxMs: 40 };

/** A promise the test resolves by hand: a reconcile held in flight until the test lets it finish. */
function gate(): { held: Promise<void>; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { held, release };
}

test('keys added while waiting are de-duplicated', async (t) => {
  const seen: string[] = [];
  const queue = new WorkQueue({ concurrency: 1, backoff: fastBackoff });
  for (const key of ['a', 'b', 'a', 'a', 'b', 'c']) queue.add(key);
  queue.start(async (key) => {
    seen.push(key);
    return undefined;
  });
  await queue.drained();
  t.deepEqual(seen, ['a', 'b', 'c']);
});

test('one reconcile per key at a time; an add during processing runs once more afterwards', async (t) => {
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const first = gate();
  const queue = new WorkQueue({ concurrency: 4, backoff: fastBackoff });
  queue.start(async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    runs++;
    if (runs === 1) await first.held;
    active--;
    return undefined;
  });
  queue.add('k');
  queue.add('k');
  queue.add('k');
  t.is(runs, 1, 'the adds wait while the key is in flight');
  first.release();
  await queue.drained();
  t.is(maxActive, 1);
  t.is(runs, 2);
});

test('concurrency is bounded', async (t) => {
  let active = 0;
  let maxActive = 0;
  const queue = new WorkQueue({ concurrency: 3, backoff: fastBackoff });
  queue.start(async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    // In flight until the next turn of the event loop: every add below happens meanwhile.
    await nextTurn();
    active--;
    return undefined;
  });
  for (let i = 0; i < 20; i++) queue.add(`k${i}`);
  await queue.drained();
  t.is(maxActive, 3);
});

test('failures retry with growing per-key backoff and reset on success', async (t) => {
  const clock = new ManualClock();
  const startedAt = clock.now();
  const attempts: number[] = [];
  const queue = new WorkQueue({
    concurrency: 2,
    backoff: { baseMs: 10, maxMs: 1000 },
    random: () => 1,
    clock,
  });
  let failuresLeft = 4;
  queue.start(async () => {
    attempts.push(clock.now() - startedAt);
    if (failuresLeft-- > 0) throw new Error('transient');
    return undefined;
  });
  queue.add('flaky');
  // With random()=1 the retry after failure i comes exactly 10·2^i ms after it: not a moment before.
  for (let i = 0; i < 4; i++) {
    const delay = 10 * 2 ** i;
    await clock.advanceAsync(delay - 1);
    t.is(attempts.length, i + 1, `no retry ${i + 1} before ${delay} ms`);
    t.is(queue.failures('flaky'), i + 1);
    await clock.advanceAsync(1);
    t.is(attempts.length, i + 2, `retry ${i + 1} at ${delay} ms`);
  }
  await queue.drained();
  const gaps = attempts.slice(1).map((time, i) => time - (attempts[i] ?? 0));
  t.deepEqual(gaps, [10, 20, 40, 80]);
  t.is(queue.failures('flaky'), 0);
});

test('requeueAfter schedules the key again', async (t) => {
  const clock = new ManualClock();
  let runs = 0;
  const queue = new WorkQueue({ concurrency: 1, backoff: fastBackoff, clock });
  queue.start(async () => {
    runs++;
    return runs === 1 ? { requeueAfterMs: 20 } : undefined;
  });
  queue.add('k');
  await clock.advanceAsync(19);
  t.is(runs, 1, 'not before requeueAfterMs');
  await clock.advanceAsync(1);
  t.is(runs, 2);
  await clock.advanceAsync(60_000);
  t.is(runs, 2, 'an outcome without requeueAfterMs is not requeued');
});

test('shutdown waits for the reconcile in flight and takes no more work', async (t) => {
  const seen: string[] = [];
  let finished = false;
  const inFlight = gate();
  const queue = new WorkQueue({ concurrency: 1, backoff: fastBackoff });
  queue.start(async (key) => {
    seen.push(key);
    await inFlight.held;
    finished = true;
    return undefined;
  });
  queue.add('a');
  queue.add('b');
  const stopped = queue.shutdown();
  t.false(finished, 'a is still in flight');
  inFlight.release();
  await stopped;
  t.true(finished);
  queue.add('c');
  t.is(queue.depth, 0);
  t.deepEqual(seen, ['a'], 'b, queued behind it, never ran');
});

test('backoff delays are jittered within [half, full] of the capped exponential', (t) => {
  const policy = { baseMs: 100, maxMs: 5_000 };
  t.is(
    backoffDelay(policy, 0, () => 0),
    50,
  );
  t.is(
    backoffDelay(policy, 3, () => 1),
    800,
  );
  t.is(
    backoffDelay(policy, 20, () => 1),
    5_000,
  );
  t.is(
    backoffDelay(policy, 20, () => 0),
    2_500,
  );
});
