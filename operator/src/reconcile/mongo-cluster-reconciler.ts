import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { Clock } from '../../../contract/src/clock.ts';
import type { ClusterInput, TenantRegistry } from '../../../contract/src/registry/index.ts';
import type { InvalidationOutbox } from '../invalidation-outbox.ts';
import { applyCustomObjectStatus, isNotFound, type KubeClients } from '../kube/clients.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { ReconcileOutcome } from '../kube/work-queue.ts';
import { ClusterConnectionError, type ClusterConnections } from '../provisioning/cluster-connections.ts';
import {
  MONGO_CLUSTER_PLURAL,
  MongoCluster,
  type MongoClusterStatusBlock,
} from '../resources/mongo-cluster.ts';
import { API_VERSION, GROUP, VERSION } from '../resources/tenant.ts';
import { safeMessage } from '../safe-message.ts';
import { ConditionType, mergeConditions, Reason } from './conditions.ts';

export interface MongoClusterReconcilerDeps {
  readonly kube: KubeClients;
  readonly registry: TenantRegistry;
  readonly invalidations: InvalidationOutbox;
  readonly clusters: ClusterConnections;
  /** Tenants placed on a cluster now (the placement ledger). */
  readonly countTenants: (cluster: string) => Promise<number>;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How often reachability is probed again. */
  readonly probeEveryMs?: number;
}

/**
 * MongoCluster: probe the server (reachability, version, flavour), count its tenants, and mirror
 * that into status and the registry's clusters collection. Writes happen only on change.
 */
export class MongoClusterReconciler {
  readonly #deps: MongoClusterReconcilerDeps;

  constructor(deps: MongoClusterReconcilerDeps) {
    this.#deps = deps;
  }

  async reconcile(name: string): Promise<ReconcileOutcome> {
    let cluster: MongoCluster;
    try {
      cluster = MongoCluster.parse(
        await this.#deps.kube.custom.getClusterCustomObject({
          group: GROUP,
          version: VERSION,
          plural: MONGO_CLUSTER_PLURAL,
          name,
        }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.#deps.clusters.forget(name);
      return undefined;
    }
    const tenantCount = await this.#deps.countTenants(name);
    let probe:
      | { reachable: true; flavour: 'mongodb' | 'ferretdb'; version: string }
      | { reachable: false; reason: Reason; message: string };
    try {
      const connection = await this.#deps.clusters.get(cluster);
      await connection.client.db('admin').command({ ping: 1 });
      probe = { reachable: true, flavour: connection.info.flavour, version: connection.info.version };
    } catch (error) {
      const missing = error instanceof ClusterConnectionError && error.kind === 'SecretMissing';
      probe = {
        reachable: false,
        reason: missing ? Reason.ConnectionSecretMissing : Reason.ClusterUnreachable,
        message: error instanceof ClusterConnectionError ? error.message : safeMessage(error),
      };
    }
    const generation = cluster.metadata.generation;
    const conditions = mergeConditions(
      cluster.status?.conditions,
      probe.reachable
        ? [
            {
              type: ConditionType.Ready,
              status: 'True',
              reason: Reason.ServerAnswered,
              message: `${probe.flavour} ${probe.version} answers`,
            },
            {
              type: ConditionType.Reachable,
              status: 'True',
              reason: Reason.ServerAnswered,
              message: `${probe.flavour} ${probe.version} answers`,
            },
          ]
        : [
            { type: ConditionType.Ready, status: 'False', reason: probe.reason, message: probe.message },
            { type: ConditionType.Reachable, status: 'False', reason: probe.reason, message: probe.message },
          ],
      generation,
      this.#deps.clock.date(),
    );
    const status: MongoClusterStatusBlock = {
      observedGeneration: generation,
      reachable: probe.reachable,
      ...(probe.reachable ? { serverVersion: probe.version, flavour: probe.flavour } : pick(cluster.status)),
      tenantCount,
      conditions,
    };
    if (!isDeepStrictEqual(cluster.status ?? {}, status)) {
      await applyCustomObjectStatus(
        this.#deps.kube,
        { group: GROUP, version: VERSION, plural: MONGO_CLUSTER_PLURAL, name },
        { apiVersion: API_VERSION, kind: 'MongoCluster', metadata: { name }, status },
      );
      if (cluster.status?.reachable !== probe.reachable) {
        await this.#deps.events.record(
          { apiVersion: API_VERSION, kind: 'MongoCluster', name, uid: cluster.metadata.uid },
          probe.reachable ? 'Normal' : 'Warning',
          probe.reachable ? Reason.ServerAnswered : probe.reason,
          probe.reachable ? `${probe.flavour} ${probe.version} answers` : probe.message,
        );
      }
    }
    await this.#syncRegistry(cluster, status);
    return { requeueAfterMs: this.#deps.probeEveryMs ?? 60_000 };
  }

  async #syncRegistry(cluster: MongoCluster, status: MongoClusterStatusBlock): Promise<void> {
    const name = cluster.metadata.name;
    const stored = await this.#deps.registry.getCluster(name);
    const desired: ClusterInput = {
      name,
      labels: cluster.spec.labels ?? {},
      region: cluster.spec.region ?? null,
      capacity: cluster.spec.capacity ?? null,
      cordoned: cluster.spec.cordoned,
      weight: cluster.spec.weight,
      reachable: status.reachable ?? false,
      serverVersion: status.serverVersion ?? null,
      flavour: status.flavour ?? null,
      tenantCount: status.tenantCount ?? 0,
      apiURI: stored?.apiURI ?? null,
      generation: Math.max(cluster.metadata.generation, stored?.generation ?? 0),
    };
    if (stored) {
      const { updatedAt: _u, generation: _g, ...a } = stored;
      const { generation: _d, ...b } = desired;
      if (isDeepStrictEqual(a, b)) return;
    }
    const written = await this.#deps.registry.putCluster(desired);
    await this.#deps.invalidations.publish({
      kind: 'cluster',
      id: name,
      generation: written.generation,
    });
  }
}

function pick(
  status: MongoClusterStatusBlock | undefined,
): Pick<MongoClusterStatusBlock, 'serverVersion' | 'flavour'> {
  return {
    ...(status?.serverVersion ? { serverVersion: status.serverVersion } : {}),
    ...(status?.flavour ? { flavour: status.flavour } : {}),
  };
}
