import type * as k8s from '@kubernetes/client-node';
import type { Logger } from 'pino';
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

export class EventRecorder {
  readonly #kube: KubeClients;
  readonly #component: string;
  readonly #namespaceForClusterScoped: string;
  readonly #logger: Logger;
  readonly #now: () => Date;

  constructor(options: {
    kube: KubeClients;
    component: string;
    /** Events about cluster-scoped objects (MongoCluster) are stored here. */
    namespaceForClusterScoped: string;
    logger: Logger;
    now?: () => Date;
  }) {
    this.#kube = options.kube;
    this.#component = options.component;
    this.#namespaceForClusterScoped = options.namespaceForClusterScoped;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** Records an event; a failure to record is logged, never fails the reconcile. */
  async record(object: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = object.namespace ?? this.#namespaceForClusterScoped;
    const now = this.#now();
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
      await this.#kube.core.createNamespacedEvent({ namespace, body });
    } catch (error) {
      this.#logger.warn({ reason, object: object.name, err: describeError(error) }, 'could not record event');
    }
  }
}
