import type * as k8s from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../../../contract/src/clock.ts';
import type { TenantOwner, TenantRecord, TenantRegistry } from '../../../../contract/src/registry/index.ts';
import type { InvalidationOutbox } from '../../invalidation-outbox.ts';
import { type CustomResourceRef, isNotFound, type KubeClients } from '../../kube/clients.ts';
import type { EventRecorder, EventType } from '../../kube/events.ts';
import {
  type ClusterConnection,
  ClusterConnectionError,
  type ClusterConnections,
  isClusterUnreachable,
} from '../../provisioning/cluster-connections.ts';
import { MANAGED_BY } from '../../provisioning/connection-secret.ts';
import type { ProvisioningRecords } from '../../provisioning/provisioning-records.ts';
import type { MongoCluster } from '../../resources/mongo-cluster.ts';
import { API_VERSION, GROUP, TENANT_PLURAL, type Tenant, VERSION } from '../../resources/tenant.ts';
import { safeMessage } from '../../safe-message.ts';
import { ConditionType, Reason } from '../conditions.ts';
import { StepFailure } from '../step-failure.ts';
import type { MoveStep, RotationStep, TenantStep } from './outcome.ts';

/** What the Tenant reconciler is built from: clients, the clock, and the informers' views. */
export interface TenantReconcilerDeps {
  readonly kube: KubeClients;
  readonly registry: TenantRegistry;
  /** Where tenant ids are claimed, and the operator's own state of each tenant. */
  readonly provisioning: ProvisioningRecords;
  /** Where registry invalidations go (retried while Redis cannot take them). */
  readonly invalidations: InvalidationOutbox;
  readonly clusters: ClusterConnections;
  /** MongoClusters as the informer sees them. */
  readonly listMongoClusters: () => readonly MongoCluster[];
  /** The labels of a namespace as the informer sees them (what MongoClusters admit Tenants by). */
  readonly namespaceLabels: (namespace: string) => Readonly<Record<string, string>>;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How long to wait before retrying a tenant that waits on something outside it (default 30 s). */
  readonly waitRequeueMs?: number | undefined;
  /**
   * A move waits this long after the registry says `moving` before copying, so requests that
   * resolved the tenant just before finish writing to the old database (default 45 s).
   */
  readonly moveDrainMs?: number | undefined;
  /** Called after each step converged and each move phase was recorded; tests stop a reconcile there. */
  readonly afterStep?:
    | ((step: TenantStep | MoveStep | RotationStep, tenant: Tenant) => Promise<void> | void)
    | undefined;
  /** How long both credentials work during a rotation, for consumers to move over (default 2 min). */
  readonly credentialOverlapMs?: number | undefined;
  /** How long tokens of a rotated-out signing key keep verifying (default 20 min). */
  readonly signingKeyOverlapMs?: number | undefined;
  /**
   * Whether this replica still holds the leader Lease. Checked before every destructive step of a
   * move, so a deposed leader stops before its successor can start (renew deadline < duration).
   */
  readonly stillLeading?: (() => boolean) | undefined;
}

/** The Tenant's identity: how steps name it to the Kubernetes API and in Events. */
export interface TenantRef {
  readonly key: string;
  readonly resource: CustomResourceRef & { namespace: string };
}

export function keyOf(tenant: Pick<Tenant, 'metadata'>): string {
  return `${tenant.metadata.namespace}/${tenant.metadata.name}`;
}

export function refOf(tenant: Pick<Tenant, 'metadata'>): TenantRef {
  return {
    key: keyOf(tenant),
    resource: {
      group: GROUP,
      version: VERSION,
      plural: TENANT_PLURAL,
      name: tenant.metadata.name,
      namespace: tenant.metadata.namespace,
    },
  };
}

/**
 * What every step of one Tenant's reconcile gets: the dependencies and helpers bound to the Tenant
 * (events about it, reading Secrets in its namespace, connecting to its clusters). It holds no
 * state of the pass: steps return what they found, and the reconciler passes it on.
 */
export class TenantScope {
  readonly deps: TenantReconcilerDeps;
  readonly ref: TenantRef;
  readonly #tenant: Pick<Tenant, 'metadata'>;
  readonly #notes: Array<{ reason: string; message: string }> = [];

  constructor(deps: TenantReconcilerDeps, tenant: Pick<Tenant, 'metadata'>) {
    this.deps = deps;
    this.#tenant = tenant;
    this.ref = refOf(tenant);
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get namespace(): string {
    return this.#tenant.metadata.namespace ?? '';
  }

  /** This Tenant object as an owner: what it claims names with, and what every write is checked against. */
  get owner(): TenantOwner {
    const { namespace = '', name, uid } = this.#tenant.metadata;
    return { namespace, name, uid };
  }

  /**
   * What a step changed, for humans: told in one Event when the pass ends — folded into the
   * `Provisioned` Event when the pass makes the tenant Ready, one Event each otherwise (see
   * TenantReconciler). A new tenant costs the API server one Event, not one per step.
   */
  note(reason: string, message: string): void {
    this.#notes.push({ reason, message });
  }

  /** The notes of this pass, once. */
  takeNotes(): Array<{ reason: string; message: string }> {
    return this.#notes.splice(0);
  }

  async event(type: EventType, reason: string, message: string): Promise<void> {
    const { name, namespace, uid } = this.#tenant.metadata;
    await this.deps.events.record(
      { apiVersion: API_VERSION, kind: 'Tenant', name, namespace, uid },
      type,
      reason,
      message,
    );
  }

  /**
   * Tells every API pod that the tenant's record changed (the registry's invalidation channel),
   * under its subdomain and, after a change of subdomain, the one it had before.
   */
  async announce(
    record: Pick<TenantRecord, 'tenantId' | 'generation' | 'subdomain'>,
    previousSubdomain?: string,
  ): Promise<void> {
    await this.deps.invalidations.publish({
      kind: 'tenant',
      id: record.tenantId,
      generation: record.generation,
      subdomains: [...new Set([record.subdomain, ...(previousSubdomain ? [previousSubdomain] : [])])],
    });
  }

  /** A Secret in the Tenant's namespace, or null. */
  async readSecret(name: string): Promise<k8s.V1Secret | null> {
    try {
      return await this.deps.kube.core.readNamespacedSecret({ namespace: this.namespace, name });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * A Secret this Tenant may write: missing, controlled by this Tenant, or left by an earlier
   * Tenant of the operator's that no longer exists (what garbage collection would have removed).
   * Anything else — a Secret someone else made — is never read or written: `notOwned`.
   */
  async ownedSecret(name: string): Promise<{ secret: k8s.V1Secret | null } | { notOwned: true }> {
    const secret = await this.readSecret(name);
    if (!secret) return { secret: null };
    const controller = secret.metadata?.ownerReferences?.find((o) => o.controller);
    if (controller?.kind === 'Tenant' && controller.uid === this.#tenant.metadata.uid) return { secret };
    const managed =
      secret.metadata?.labels?.[Object.keys(MANAGED_BY)[0] ?? ''] === Object.values(MANAGED_BY)[0];
    if (
      managed &&
      controller?.kind === 'Tenant' &&
      !(await this.#tenantExists(controller.name, controller.uid))
    ) {
      return { secret };
    }
    return { notOwned: true };
  }

  async #tenantExists(name: string, uid: string): Promise<boolean> {
    try {
      const found = (await this.deps.kube.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: this.namespace,
        plural: TENANT_PLURAL,
        name,
      })) as { metadata?: { uid?: string } };
      return found.metadata?.uid === uid;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** The MongoCluster of that name as the informer sees it. */
  findCluster(name: string | undefined): MongoCluster | undefined {
    return name === undefined
      ? undefined
      : this.deps.listMongoClusters().find((c) => c.metadata.name === name);
  }

  /** The admin connection to a cluster; unreachable is a (retried) DatabaseReady failure. */
  async connect(
    cluster: MongoCluster,
    condition: ConditionType = ConditionType.DatabaseReady,
  ): Promise<ClusterConnection> {
    try {
      return await this.deps.clusters.get(cluster);
    } catch (error) {
      const message =
        error instanceof ClusterConnectionError
          ? `MongoCluster ${cluster.metadata.name}: ${error.message}`
          : `MongoCluster ${cluster.metadata.name}: ${safeMessage(error)}`;
      throw new StepFailure(condition, Reason.ClusterUnreachable, message, { cause: error });
    }
  }
}

/**
 * `error` as the failure of a cluster that is not answering (network, timeout, pool): reported on
 * `condition` as ClusterUnreachable, naming the cluster, and retried. Null for any other error.
 */
export function unreachable(
  connection: ClusterConnection,
  condition: ConditionType,
  error: unknown,
): StepFailure | null {
  if (!isClusterUnreachable(error)) return null;
  return new StepFailure(
    condition,
    Reason.ClusterUnreachable,
    `MongoCluster ${connection.name} is not answering: ${safeMessage(error)}`,
    {
      cause: error,
    },
  );
}
