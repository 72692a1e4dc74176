import type * as k8s from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { type Clock, systemClock } from '../../contract/src/clock.ts';
import type { TenantRegistry } from '../../contract/src/registry/index.ts';
import { InvalidationOutbox } from './invalidation-outbox.ts';
import type { BackoffPolicy } from './kube/backoff.ts';
import { makeKubeClients } from './kube/clients.ts';
import { EventRecorder } from './kube/events.ts';
import { SupervisedInformer } from './kube/informer.ts';
import { WorkQueue } from './kube/work-queue.ts';
import { createOperatorMetrics, type OperatorMetrics } from './metrics.ts';
import { ClusterConnections } from './provisioning/cluster-connections.ts';
import { ProvisioningRecords } from './provisioning/provisioning-records.ts';
import { MongoClusterReconciler } from './reconcile/mongo-cluster-reconciler.ts';
import { StepFailure } from './reconcile/step-failure.ts';
import { TenantReconciler, type TenantReconcilerOptions } from './reconcile/tenant/reconciler.ts';
import { PlacementLedger } from './reconcile/tenant/steps/placement.ts';
import { RegistryResealer } from './registry-resealer.ts';
import { MONGO_CLUSTER_PLURAL, MongoCluster } from './resources/mongo-cluster.ts';
import { GROUP, TENANT_PLURAL, Tenant, VERSION } from './resources/tenant.ts';
import { describeError as describe } from './safe-message.ts';

export interface OperatorOptions {
  readonly kubeConfig: k8s.KubeConfig;
  readonly registry: TenantRegistry;
  /** Where tenant ids are claimed (default: beside the registry, in its database). */
  readonly provisioning?: ProvisioningRecords;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly metricsRegistry?: Registry;
  readonly concurrency?: number;
  readonly resyncMs?: number;
  readonly relistMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly probeEveryMs?: number;
  readonly waitRequeueMs?: number;
  /** How long a move waits for in-flight requests before copying (default 45 s). */
  readonly moveDrainMs?: number;
  /** Registry records re-sealed with the newest key per pass, and how often (default 50 every 10 s). */
  readonly reseal?: { batch: number; intervalMs: number };
  /** How long both credentials work during a rotation (default 2 min). */
  readonly credentialOverlapMs?: number;
  /** How long tokens signed with a rotated-out key keep verifying (default 20 min). */
  readonly signingKeyOverlapMs?: number;
  /** How long an operation may wait on a MongoDB cluster that stopped answering (default 20 s). */
  readonly clusterSocketTimeoutMs?: number;
  /** How long one request to the API server may take (default 15 s; watches excepted). */
  readonly kubeRequestTimeoutMs?: number;
  /** Whether this replica still leads; a move checks it before every destructive step. */
  readonly stillLeading?: () => boolean;
  readonly afterStep?: TenantReconcilerOptions['afterStep'];
  /** Time and timers (default: the system clock). */
  readonly clock?: Clock;
  /** Watch Tenants in this namespace only (default: all namespaces). */
  readonly watchNamespace?: string | undefined;
  /** Manage only the MongoClusters matching this label selector, e.g. `atrium.dev/shard=a`. */
  readonly mongoClusterSelector?: string | undefined;
  /** Manage only the Tenants matching this label selector (several operators, one API server). */
  readonly tenantSelector?: string | undefined;
}

/**
 * The controllers wired together: two supervised informers (Tenants, MongoClusters), a work queue
 * and a reconciler for each. Started by the leader; stopped gracefully (reconciles in flight
 * finish) on shutdown or lost leadership.
 */
export class Operator {
  readonly metrics: OperatorMetrics;
  readonly metricsRegistry: Registry;
  readonly tenantQueue: WorkQueue;
  readonly clusterQueue: WorkQueue;
  readonly #tenants: SupervisedInformer<k8s.KubernetesObject>;
  readonly #mongoClusters: SupervisedInformer<k8s.KubernetesObject>;
  readonly #namespaces: SupervisedInformer<k8s.KubernetesObject>;
  readonly #provisioning: ProvisioningRecords;
  readonly #invalidations: InvalidationOutbox;
  readonly #resealer: RegistryResealer;
  readonly #connections: ClusterConnections;
  readonly #tenantReconciler: TenantReconciler;
  readonly #clusterReconciler: MongoClusterReconciler;
  readonly #logger: Logger;
  readonly #registry: TenantRegistry;
  #running = false;

  constructor(options: OperatorOptions) {
    const kube = makeKubeClients(options.kubeConfig, { requestTimeoutMs: options.kubeRequestTimeoutMs });
    const logger = options.logger;
    const clock = options.clock ?? systemClock;
    this.#logger = logger;
    this.#registry = options.registry;
    const backoff = options.backoff ?? { baseMs: 500, maxMs: 5 * 60_000 };
    const resyncMs = options.resyncMs ?? 10 * 60_000;
    const relistMs = options.relistMs ?? 30 * 60_000;
    this.metricsRegistry = options.metricsRegistry ?? new Registry();

    const observe =
      (controller: 'tenant' | 'mongocluster') =>
      (key: string, result: 'success' | 'error', ms: number, error?: unknown) => {
        this.metrics.reconciles.inc({ controller, result });
        this.metrics.reconcileSeconds.observe({ controller }, ms / 1000);
        if (error) {
          // StepFailure messages are built to be safe; anything else is reduced to its class and first line.
          const reason = error instanceof StepFailure ? error.reason : undefined;
          logger.warn(
            { controller, key, reason, err: error instanceof StepFailure ? error.message : describe(error) },
            'reconcile failed',
          );
        } else {
          logger.debug({ controller, key, ms: Math.round(ms) }, 'reconciled');
        }
      };
    const concurrency = options.concurrency ?? 4;
    this.tenantQueue = new WorkQueue({ concurrency, backoff, clock, onResult: observe('tenant') });
    this.clusterQueue = new WorkQueue({ concurrency: 2, backoff, clock, onResult: observe('mongocluster') });

    this.#tenants = new SupervisedInformer({
      name: 'tenants',
      kubeConfig: options.kubeConfig,
      onList: () => this.metrics.informerLists.inc({ informer: 'tenants' }),
      path: options.watchNamespace
        ? `/apis/${GROUP}/${VERSION}/namespaces/${options.watchNamespace}/${TENANT_PLURAL}`
        : `/apis/${GROUP}/${VERSION}/${TENANT_PLURAL}`,
      list: () =>
        (options.watchNamespace
          ? kube.custom.listNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              plural: TENANT_PLURAL,
              namespace: options.watchNamespace,
              ...(options.tenantSelector ? { labelSelector: options.tenantSelector } : {}),
            })
          : kube.custom.listClusterCustomObject({
              group: GROUP,
              version: VERSION,
              plural: TENANT_PLURAL,
              ...(options.tenantSelector ? { labelSelector: options.tenantSelector } : {}),
            })) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>,
      labelSelector: options.tenantSelector,
      onObject: (object) => {
        const key = `${object.metadata?.namespace}/${object.metadata?.name}`;
        this.tenantQueue.add(key);
        const cluster = (object as { status?: { cluster?: string } }).status?.cluster;
        if (cluster) this.clusterQueue.add(cluster);
      },
      resyncMs,
      relistMs,
      backoff,
      logger,
      clock,
    });
    this.#mongoClusters = new SupervisedInformer({
      name: 'mongoclusters',
      kubeConfig: options.kubeConfig,
      onList: () => this.metrics.informerLists.inc({ informer: 'mongoclusters' }),
      path: `/apis/${GROUP}/${VERSION}/${MONGO_CLUSTER_PLURAL}`,
      labelSelector: options.mongoClusterSelector,
      list: () =>
        kube.custom.listClusterCustomObject({
          group: GROUP,
          version: VERSION,
          plural: MONGO_CLUSTER_PLURAL,
          ...(options.mongoClusterSelector ? { labelSelector: options.mongoClusterSelector } : {}),
        }) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>,
      onObject: (object, event) => {
        if (object.metadata?.name) this.clusterQueue.add(object.metadata.name);
        // A cluster appearing, uncordoning or becoming reachable may unblock tenants waiting for placement.
        if (event !== 'resync') {
          for (const tenant of this.#listTenants())
            if (!tenant.status?.cluster) this.tenantQueue.add(keyOf(tenant));
        }
      },
      resyncMs,
      relistMs,
      backoff,
      logger,
      clock,
    });

    this.#namespaces = new SupervisedInformer({
      name: 'namespaces',
      kubeConfig: options.kubeConfig,
      onList: () => this.metrics.informerLists.inc({ informer: 'namespaces' }),
      path: '/api/v1/namespaces',
      list: () => kube.core.listNamespace() as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>,
      onObject: (object, event) => {
        // New labels may open or close MongoClusters to the namespace's Tenants.
        if (event !== 'update') return;
        for (const tenant of this.#listTenants())
          if (tenant.metadata.namespace === object.metadata?.name) this.tenantQueue.add(keyOf(tenant));
      },
      resyncMs,
      relistMs,
      backoff,
      logger,
      clock,
    });

    this.#connections = new ClusterConnections(kube, {
      socketTimeoutMs: options.clusterSocketTimeoutMs,
      clock,
    });
    this.#invalidations = new InvalidationOutbox({ redis: options.redis, clock, logger });
    this.#resealer = new RegistryResealer({ registry: options.registry, clock, logger, ...options.reseal });
    this.#provisioning = options.provisioning ?? new ProvisioningRecords(options.registry.db);
    const ledger = new PlacementLedger(this.#provisioning);
    const events = new EventRecorder({
      kube,
      component: 'atrium-operator',
      // The API server takes Events about a cluster-scoped object (a MongoCluster) only in `default`.
      namespaceForClusterScoped: 'default',
      clock,
      logger,
    });
    const listMongoClusters = () => this.#listMongoClusters();
    this.#tenantReconciler = new TenantReconciler({
      kube,
      registry: options.registry,
      provisioning: this.#provisioning,
      ledger,
      invalidations: this.#invalidations,
      clusters: this.#connections,
      listMongoClusters,
      namespaceLabels: (namespace) => this.#namespaces.get(namespace)?.metadata?.labels ?? {},
      events,
      logger,
      clock,
      afterStep: options.afterStep,
      waitRequeueMs: options.waitRequeueMs,
      moveDrainMs: options.moveDrainMs,
      credentialOverlapMs: options.credentialOverlapMs,
      signingKeyOverlapMs: options.signingKeyOverlapMs,
      stillLeading: options.stillLeading,
    });
    this.#clusterReconciler = new MongoClusterReconciler({
      kube,
      registry: options.registry,
      invalidations: this.#invalidations,
      clusters: this.#connections,
      countTenants: (cluster) => ledger.count(cluster),
      events,
      logger,
      clock,
      ...(options.probeEveryMs ? { probeEveryMs: options.probeEveryMs } : {}),
    });
    this.metrics = createOperatorMetrics(this.metricsRegistry, {
      queueDepth: (c) => (c === 'tenant' ? this.tenantQueue.depth : this.clusterQueue.depth),
      invalidationsPending: () => this.#invalidations.pending,
      recordsOnOlderKeys: () => this.#resealer.left,
      tenantPhases: () =>
        this.#listTenants().map((t) => ({
          phase: t.status?.phase,
          cluster: t.status?.cluster,
          schemaVersion: t.status?.schemaVersion,
        })),
    });
  }

  async start(): Promise<void> {
    this.#running = true;
    // Each new leader repairs what an older version may have written without subdomain claims
    // during a rolling upgrade (a no-op pass when nothing is missing).
    await this.#registry.ensureIndexes();
    await this.#provisioning.ensureIndexes();
    await Promise.all([this.#mongoClusters.start(), this.#namespaces.start(), this.#tenants.start()]);
    this.clusterQueue.start((name) => this.#clusterReconciler.reconcile(name));
    this.tenantQueue.start((key) => this.#tenantReconciler.reconcile(key));
    this.#resealer.start();
    this.#logger.info('controllers started');
  }

  /** Stops watching, lets the reconciles in flight finish, closes cluster connections. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await Promise.all([this.#tenants.stop(), this.#mongoClusters.stop(), this.#namespaces.stop()]);
    await Promise.all([this.tenantQueue.shutdown(), this.clusterQueue.shutdown(), this.#resealer.stop()]);
    await this.#connections.close();
    this.#invalidations.close();
    this.#logger.info('controllers stopped');
  }

  get running(): boolean {
    return this.#running;
  }

  /** Milliseconds since the API server last answered either informer. */
  sinceLastContactMs(): number {
    return Math.max(
      this.#tenants.sinceLastContactMs(),
      this.#mongoClusters.sinceLastContactMs(),
      this.#namespaces.sinceLastContactMs(),
    );
  }

  get synced(): boolean {
    return this.#tenants.synced && this.#mongoClusters.synced && this.#namespaces.synced;
  }

  #listTenants(): Tenant[] {
    return this.#tenants.list().flatMap((o) => {
      const parsed = Tenant.safeParse(o);
      return parsed.success ? [parsed.data] : [];
    });
  }

  #listMongoClusters(): MongoCluster[] {
    return this.#mongoClusters.list().flatMap((o) => {
      const parsed = MongoCluster.safeParse(o);
      return parsed.success ? [parsed.data] : [];
    });
  }
}

function keyOf(tenant: Tenant): string {
  return `${tenant.metadata.namespace}/${tenant.metadata.name}`;
}
