import * as k8s from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { type Clock, systemClock, type Timer } from '../../../contract/src/clock.ts';
import { describeError as describe } from '../safe-message.ts';
import { type BackoffPolicy, backoffDelay } from './backoff.ts';

/**
 * A list+watch cache that does not stay dead. client-node's informer re-lists on 410 Gone but
 * stops on any other error; this one restarts it after a jittered backoff, replaces it with a
 * fresh list every `relistMs` (catching anything a watch may have missed), re-delivers every
 * cached object every `resyncMs` (so level-based reconciles re-check the world), and reports its
 * liveness from the time since it last heard from the API server.
 */
export interface SupervisedInformerOptions<T extends k8s.KubernetesObject> {
  readonly name: string;
  readonly kubeConfig: k8s.KubeConfig;
  /** API path to watch, e.g. /apis/atrium.dev/v1alpha1/tenants */
  readonly path: string;
  readonly list: () => Promise<k8s.KubernetesListObject<T>>;
  /** Must be the selector `list` uses, so the watch sees the same objects. */
  readonly labelSelector?: string | undefined;
  /** Called for adds, updates, deletes and resyncs alike: the controller only needs the key. */
  readonly onObject: (object: T, event: 'add' | 'update' | 'delete' | 'resync') => void;
  readonly resyncMs: number;
  readonly relistMs: number;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  /** Time and timers (default: the system clock). */
  readonly clock?: Clock;
  /** Called for every full list read from the API server (a metric: lists should be rare). */
  readonly onList?: () => void;
}

export class SupervisedInformer<T extends k8s.KubernetesObject> {
  readonly #options: SupervisedInformerOptions<T>;
  readonly #clock: Clock;
  #informer: (k8s.Informer<T> & k8s.ObjectCache<T>) | null = null;
  #failures = 0;
  // Counted from construction: a replica that never reaches the API server turns unhealthy after
  // the stall limit, not at once (its controllers are built before their informers start).
  #lastContactAt: number;
  #synced = false;
  #stopped = true;
  #timers: Timer[] = [];
  #restart: Timer | null = null;

  constructor(options: SupervisedInformerOptions<T>) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#lastContactAt = this.#clock.now();
  }

  /** Lists, starts watching and resolves once the cache holds the first full list. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#replace();
    this.#timers.push(
      this.#clock.setInterval(() => this.#resync(), this.#options.resyncMs),
      this.#clock.setInterval(() => void this.#replace(), this.#options.relistMs),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) timer.cancel();
    this.#timers = [];
    this.#restart?.cancel();
    await this.#informer?.stop();
  }

  list(namespace?: string): readonly T[] {
    return this.#informer?.list(namespace) ?? [];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#informer?.get(name, namespace);
  }

  /** Whether the first list arrived. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Milliseconds since the API server last answered (list, watch event or connect), or since the informer was made. */
  sinceLastContactMs(): number {
    return this.#clock.now() - this.#lastContactAt;
  }

  #resync(): void {
    for (const object of this.list()) this.#options.onObject(object, 'resync');
  }

  /** Starts a fresh informer (a full list) and swaps it in once it is watching. */
  async #replace(): Promise<void> {
    if (this.#stopped) return;
    const { kubeConfig, path, list, onObject, logger, name, labelSelector } = this.#options;
    const touch = () => {
      this.#lastContactAt = this.#clock.now();
    };
    const informer = k8s.makeInformer<T>(
      kubeConfig,
      path,
      async () => {
        this.#options.onList?.();
        const result = await list();
        touch();
        return result;
      },
      labelSelector,
    );
    for (const event of ['add', 'update', 'delete'] as const) {
      informer.on(event, (object: T) => {
        touch();
        logger.trace({ informer: name, event, object: object.metadata?.name }, 'watch event');
        onObject(object, event);
      });
    }
    informer.on('connect', touch);
    let failed = false;
    let starting = true;
    informer.on('error', (error: unknown) => {
      failed = true;
      // Errors of an informer already replaced by a newer one are its last words: ignore them.
      if (this.#stopped || !(starting || this.#informer === informer)) return;
      this.#scheduleRestart(error, informer);
    });
    try {
      await informer.start();
    } catch (error) {
      failed = true;
      if (!this.#stopped) this.#scheduleRestart(error, informer);
    }
    starting = false;
    // client-node reports a failed list through the error callback and resolves start() anyway.
    if (this.#stopped || failed) {
      await informer.stop();
      if (failed) logger.warn({ informer: name }, 'informer failed to start; retrying');
      return;
    }
    const previous = this.#informer;
    this.#informer = informer;
    this.#synced = true;
    this.#failures = 0;
    if (previous && previous !== informer) await previous.stop();
  }

  /**
   * After a failure, the informer that serves the cache resumes its watch from the last
   * resourceVersion it saw — no list, so an API server that comes back is not met by every
   * informer listing everything at once; the API server says 410 Gone when that version is too
   * old, and only then is the whole list read again. An informer that never served (its first
   * list failed) starts over with a list; a periodic relist that failed is simply tried again at
   * its next period, the live informer carrying on meanwhile.
   */
  #scheduleRestart(error: unknown, failed: k8s.Informer<T> & k8s.ObjectCache<T>): void {
    if (this.#restart) return;
    const live = this.#informer;
    if (live && failed !== live) return;
    const delay = backoffDelay(this.#options.backoff, this.#failures++);
    this.#options.logger.warn(
      { informer: this.#options.name, err: describe(error), retryInMs: delay },
      live ? 'watch failed; resuming from the last resourceVersion' : 'watch failed; restarting',
    );
    this.#restart = this.#clock.setTimeout(() => {
      this.#restart = null;
      void (live ? this.#resume(live) : this.#replace());
    }, delay);
  }

  async #resume(informer: k8s.Informer<T> & k8s.ObjectCache<T>): Promise<void> {
    if (this.#stopped || this.#informer !== informer) return;
    let failed = false;
    const onError = () => {
      failed = true;
    };
    informer.on('error', onError);
    try {
      await informer.start();
    } catch (error) {
      failed = true;
      this.#scheduleRestart(error, informer);
    } finally {
      informer.off('error', onError);
    }
    if (!failed) this.#failures = 0;
  }
}
