import test from 'ava';
import { backoffDelay } from '../../operator/src/kube/backoff.ts';
import { WorkQueue } from '../../operator/src/kube/work-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fastBackoff = { baseMs: 5, maxMs: 40 };

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
  const queue = new WorkQueue({ concurrency: 4, backoff: fastBackoff });
  queue.start(async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    runs++;
    await sleep(30);
    active--;
    return undefined;
  });
  queue.add('k');
  await sleep(5);
  queue.add('k');
  queue.add('k');
  await sleep(5);
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
    await sleep(10);
    active--;
    return undefined;
  });
  for (let i = 0; i < 20; i++) queue.add(`k${i}`);
  await queue.drained();
  t.is(maxActive, 3);
});

test('failures retry with growing per-key backoff and reset on success', async (t) => {
  const times: number[] = [];
  const queue = new WorkQueue({ concurrency: 2, backoff: { baseMs: 10, maxMs: 1000 }, random: () => 1 });
  let failuresLeft = 4;
  const done = new Promise<void>((resolve) => {
    queue.start(async () => {
      times.push(Date.now());
      if (failuresLeft-- > 0) throw new Error('transient');
      resolve();
      return undefined;
    });
  });
  queue.add('flaky');
  await done;
  await queue.drained();
  const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
  t.is(gaps.length, 4);
  // 10, 20, 40, 80 ms with random()=1.
  for (const [i, gap] of gaps.entries()) t.true(gap >= 10 * 2 ** i - 2, `gap ${i} was ${gap} ms`);
  t.is(queue.failures('flaky'), 0);
});

test('requeueAfter schedules the key again', async (t) => {
  let runs = 0;
  const queue = new WorkQueue({ concurrency: 1, backoff: fastBackoff });
  const second = new Promise<void>((resolve) => {
    queue.start(async () => {
      runs++;
      if (runs === 2) resolve();
      return runs === 1 ? { requeueAfterMs: 20 } : undefined;
    });
  });
  queue.add('k');
  await second;
  t.is(runs, 2);
});

test('shutdown waits for the reconcile in flight and takes no more work', async (t) => {
  let finished = false;
  const queue = new WorkQueue({ concurrency: 1, backoff: fastBackoff });
  queue.start(async () => {
    await sleep(50);
    finished = true;
    return undefined;
  });
  queue.add('a');
  queue.add('b');
  await sleep(5);
  await queue.shutdown();
  t.true(finished);
  queue.add('c');
  t.is(queue.depth, 0);
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
