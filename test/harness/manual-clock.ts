import { type Clock, sleepOn, type Timer } from '../../contract/src/clock.ts';

interface Scheduled {
  at: number;
  seq: number;
  callback: () => void;
  every: number | undefined;
}

/**
 * A clock that moves only when a test says so. Timers fire in time order, each seeing `now()` at
 * its own due time, so code under test behaves as it would over that stretch of real time.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Scheduled[] = [];

  constructor(start: number | Date = Date.parse('2026-01-05T08:00:00.000Z')) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  date(): Date {
    return new Date(this.#now);
  }

  setTimeout(callback: () => void, ms: number): Timer {
    return this.#schedule(callback, ms, undefined);
  }

  setInterval(callback: () => void, ms: number): Timer {
    return this.#schedule(callback, ms, Math.max(1, ms));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, synchronously. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let next = this.#due(target); next; next = this.#due(target)) this.#fire(next);
    this.#now = target;
  }

  /**
   * Like `advance`, but lets promise chains started by each timer run (one macrotask turn) before
   * the next fires: for code that awaits between timers (retries, sleeps in a loop).
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let next = this.#due(target); next; next = this.#due(target)) {
      this.#fire(next);
      await settle();
    }
    this.#now = target;
    await settle();
  }

  #schedule(callback: () => void, ms: number, every: number | undefined): Timer {
    const entry: Scheduled = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback, every };
    this.#timers.push(entry);
    return {
      cancel: () => {
        this.#timers = this.#timers.filter((t) => t !== entry);
      },
    };
  }

  #due(target: number): Scheduled | undefined {
    let first: Scheduled | undefined;
    for (const timer of this.#timers) {
      if (timer.at > target) continue;
      if (!first || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq)) first = timer;
    }
    return first;
  }

  #fire(timer: Scheduled): void {
    this.#now = Math.max(this.#now, timer.at);
    if (timer.every === undefined) this.#timers = this.#timers.filter((t) => t !== timer);
    else {
      timer.at += timer.every;
      timer.seq = this.#seq++;
    }
    timer.callback();
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
