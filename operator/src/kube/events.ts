import * as k8s from '@kubernetes/client-node';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../../../contract/src/clock.ts';
import { describeError } from '../safe-message.ts';
import type { KubeClients } from './clients.ts';

/**
 * Kubernetes Events for what a human should see (`kubectl describe`, `kubectl events`). Messages
 * are built by the reconcilers from fixed reasons and names: never a URI, password or key.
 */
export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly uid: string;
}

export type EventType = 'Normal' | 'Warning';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** An event already written, so a repeat within the window only counts up. */
interface Recorded {
  name: string;
  namespace: string;
  count: number;
  first: Date;
}

/**
 * Identical events (same object, type, reason and message) within `aggregateWindowMs` are one
 * Event whose `count` and `lastTimestamp` go up, as client-go's recorder does: a reconcile that
 * fails the same way on every retry writes one object, not one per attempt.
 */
export class EventRecorder {
  readonly #kube: KubeClients;
  readonly #component: string;
  readonly #namespaceForClusterScoped: string;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #recent: LRUCache<string, Recorded>;

  constructor(options: {
    kube: KubeClients;
    component: string;
    /** Events about cluster-scoped objects (MongoCluster) are stored here. */
    namespaceForClusterScoped: string;
    logger: Logger;
    clock?: Clock;
    /** Repeats within this window count up one Event (default 10 minutes, as client-go). */
    aggregateWindowMs?: number;
  }) {
    this.#kube = options.kube;
    this.#component = options.component;
    this.#namespaceForClusterScoped = options.namespaceForClusterScoped;
    this.#logger = options.logger;
    const clock = options.clock ?? systemClock;
    this.#clock = clock;
    this.#recent = new LRUCache<string, Recorded>({
      max: 4_096,
      ttl: options.aggregateWindowMs ?? 10 * 60_000,
      ttlAutopurge: false,
      perf: clock,
    });
  }

  /** Records an event; a failure to record is logged, never fails the reconcile. */
  async record(object: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = object.namespace ?? this.#namespaceForClusterScoped;
    const now = this.#clock.date();
    const key = [object.uid, type, reason, message].join('\u0000');
    const seen = this.#recent.get(key);
    if (seen) {
      try {
        await this.#kube.core.patchNamespacedEvent(
          {
            name: seen.name,
            namespace: seen.namespace,
            body: { count: seen.count + 1, lastTimestamp: rfc3339(now), firstTimestamp: rfc3339(seen.first) },
          },
          mergePatch,
        );
        seen.count++;
        return;
      } catch (error) {
        // Expired or deleted meanwhile: write a new one.
        this.#recent.delete(key);
        this.#logger.debug(
          { reason, err: describeError(error) },
          'could not count up an event; writing a new one',
        );
      }
    }
    const body: k8s.CoreV1Event = {
      metadata: { generateName: `${object.name}.`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.name,
        namespace: object.namespace,
        uid: object.uid,
      },
      type,
      reason,
      message,
      source: { component: this.#component },
      reportingComponent: this.#component,
      reportingInstance: this.#component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      const created = await this.#kube.core.createNamespacedEvent({ namespace, body });
      if (created.metadata?.name) {
        this.#recent.set(key, { name: created.metadata.name, namespace, count: 1, first: now });
      }
    } catch (error) {
      this.#logger.warn({ reason, object: object.name, err: describeError(error) }, 'could not record event');
    }
  }
}

/** metav1.Time: RFC 3339 in whole seconds. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
