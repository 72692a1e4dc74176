import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type * as k8s from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  isRegistryError,
  publishInvalidation,
  type SigningKey,
  type TenantInput,
  type TenantRecord,
  type TenantRegistry,
} from '../../../contract/src/registry/index.ts';
import {
  applyMigrations,
  findAccountByEmail,
  generatePassword,
  seedAdmin,
} from '../../../contract/src/tenant-db/index.ts';
import {
  applyCustomObjectStatus,
  applyObject,
  isNotFound,
  type KubeClients,
  mergePatchCustomObject,
} from '../kube/clients.ts';
import type { EventRecorder, EventType } from '../kube/events.ts';
import type { ReconcileOutcome } from '../kube/work-queue.ts';
import { type ClusterCandidate, placeTenant } from '../placement/place-tenant.ts';
import {
  type ClusterConnection,
  ClusterConnectionError,
  type ClusterConnections,
} from '../provisioning/cluster-connections.ts';
import {
  desiredAdminSecret,
  desiredConnectionSecret,
  readSecretValue,
  secretMatches,
} from '../provisioning/connection-secret.ts';
import { buildTenantUri } from '../provisioning/connection-uri.ts';
import { copyDatabase } from '../provisioning/copy-database.ts';
import {
  credentialsWork,
  dropDatabaseUser,
  ensureDatabaseUser,
  userExists,
} from '../provisioning/database-user.ts';
import {
  adminSecretNameFor,
  connectionSecretNameFor,
  databaseNameFor,
  databaseUserFor,
} from '../provisioning/names.ts';
import type { Condition } from '../resources/condition.ts';
import type { MongoCluster } from '../resources/mongo-cluster.ts';
import {
  API_VERSION,
  GROUP,
  type MoveStatus,
  PAUSE_ANNOTATION,
  TENANT_FINALIZER,
  TENANT_PLURAL,
  Tenant,
  type TenantPhase,
  type TenantStatusBlock,
  tenantIdOf,
  VERSION,
} from '../resources/tenant.ts';
import { type ConditionInput, ConditionType, mergeConditions, Reason } from './conditions.ts';
import { StepFailure, safeMessage } from './step-failure.ts';

export type TenantStep =
  | 'placement'
  | 'reservation'
  | 'database'
  | 'user'
  | 'admin'
  | 'secret'
  | 'registry'
  | 'status';

export interface TenantReconcilerDeps {
  readonly kube: KubeClients;
  readonly registry: TenantRegistry;
  readonly redis: Redis;
  readonly clusters: ClusterConnections;
  /** MongoClusters as the informer sees them. */
  readonly listMongoClusters: () => readonly MongoCluster[];
  /** Tenants as the informer sees them (for placement counts). */
  readonly listTenants: () => readonly Tenant[];
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Called after each step converged; tests use it to stop a reconcile between two steps. */
  readonly afterStep?: (step: TenantStep, tenant: Tenant) => Promise<void> | void;
  /** How long to wait before retrying a tenant that waits on something outside it. */
  readonly waitRequeueMs?: number;
  /**
   * A move waits this long after the registry says `moving` before copying, so requests that
   * resolved the tenant just before finish writing to the old database (default 5 s).
   */
  readonly moveDrainMs?: number;
  /**
   * Whether this replica still holds the lease. Checked before every destructive step of a move,
   * so a deposed leader stops before its successor can start (renew deadline < lease duration).
   */
  readonly stillLeading?: () => boolean;
}

/** What a pass learned, step by step; turned into status at the end. */
class Progress {
  readonly conditions = new Map<ConditionType, ConditionInput>();
  cluster: string | undefined;
  database: string | undefined;
  secretName: string | undefined;
  adminSecretName: string | undefined;
  stalled: StepFailure | null = null;
  failure: StepFailure | null = null;

  set(type: ConditionType, status: 'True' | 'False' | 'Unknown', reason: Reason, message: string): void {
    this.conditions.set(type, { type, status, reason, message });
  }
}

const STEP_CONDITIONS: ConditionType[] = [
  ConditionType.Placed,
  ConditionType.DatabaseReady,
  ConditionType.UserReady,
  ConditionType.AdminSeeded,
  ConditionType.SecretReady,
  ConditionType.RegistrySynced,
];

/**
 * Level-based reconcile of one Tenant: place → database and migrations → database user → admin
 * seed → connection Secret → registry record → invalidation → status. Each step reads the world
 * and writes only what differs, so a pass over a converged tenant writes nothing, and a pass
 * interrupted anywhere is finished by the next.
 */
export class TenantReconciler {
  readonly #deps: TenantReconcilerDeps;
  readonly #now: () => Date;
  /** Placements decided here that the informer may not show yet: keeps parallel placements honest. */
  readonly #recentPlacements = new Map<string, string>();

  constructor(deps: TenantReconcilerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  async reconcile(key: string): Promise<ReconcileOutcome> {
    const tenant = await this.#read(key);
    if (!tenant) {
      this.#recentPlacements.delete(key);
      return undefined;
    }
    if (tenant.metadata.annotations?.[PAUSE_ANNOTATION] === 'true') {
      this.#deps.logger.info({ tenant: key }, 'reconciliation paused by annotation');
      return undefined;
    }
    if (tenant.metadata.deletionTimestamp) return this.#finalize(tenant);
    await this.#ensureFinalizer(tenant);

    const progress = new Progress();
    // A move in progress runs on its own; when it is done the steps below finish the tenant on its
    // new cluster. A move that cannot start is reported and leaves the tenant where it is.
    await this.#abandonUncommittedMove(tenant);
    const moveRefused = await this.#checkMove(tenant);
    if (!moveRefused && this.#movePending(tenant)) {
      try {
        const outcome = await this.#move(tenant);
        if (outcome !== 'done') return outcome;
      } catch (error) {
        if (!(error instanceof StepFailure)) throw error;
        await this.#writeMoveStatus(tenant, tenant.status?.move ?? {}, error);
        throw error;
      }
    }
    try {
      const cluster = await this.#place(tenant, progress);
      await this.#after('placement', tenant);
      await this.#reserveRegistryRecord(tenant, cluster.metadata.name);
      await this.#after('reservation', tenant);
      const connection = await this.#connect(cluster);
      const database = await this.#ensureDatabase(tenant, connection, progress);
      await this.#after('database', tenant);
      const credentials = await this.#ensureUser(tenant, connection, database, progress);
      await this.#after('user', tenant);
      await this.#seedAdmin(tenant, connection, database, progress);
      await this.#after('admin', tenant);
      await this.#ensureConnectionSecret(tenant, credentials, progress);
      await this.#after('secret', tenant);
      await this.#syncRegistry(tenant, cluster.metadata.name, database, credentials.uri, progress);
      await this.#after('registry', tenant);
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      if (error.stalled) progress.stalled = error;
      else progress.failure = error;
      progress.set(error.condition, 'False', error.reason, error.message);
    }
    if (moveRefused && !progress.failure) {
      progress.stalled ??= moveRefused;
      progress.set(ConditionType.Moved, 'False', moveRefused.reason, moveRefused.message);
    } else if (tenant.spec.move && tenant.status?.cluster === tenant.spec.move.toCluster) {
      progress.set(
        ConditionType.Moved,
        'True',
        Reason.OnRequestedCluster,
        `running on ${tenant.spec.move.toCluster}, as spec.move asks`,
      );
    }
    await this.#writeStatus(tenant, progress);
    if (progress.failure) {
      // Reported in status; now let the queue retry it with backoff.
      throw progress.failure;
    }
    if (progress.stalled) return { requeueAfterMs: this.#deps.waitRequeueMs ?? 30_000 };
    return undefined;
  }

  // ---- reading -------------------------------------------------------------------------------

  async #read(key: string): Promise<Tenant | null> {
    const [namespace = '', name = ''] = key.split('/');
    try {
      const raw = await this.#deps.kube.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: TENANT_PLURAL,
        name,
      });
      return Tenant.parse(raw);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async #readSecret(namespace: string, name: string): Promise<k8s.V1Secret | null> {
    try {
      return await this.#deps.kube.core.readNamespacedSecret({ namespace, name });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async #after(step: TenantStep, tenant: Tenant): Promise<void> {
    await this.#deps.afterStep?.(step, tenant);
  }

  // ---- steps ---------------------------------------------------------------------------------

  async #ensureFinalizer(tenant: Tenant): Promise<void> {
    const finalizers = tenant.metadata.finalizers ?? [];
    if (finalizers.includes(TENANT_FINALIZER)) return;
    await mergePatchCustomObject(this.#deps.kube, this.#ref(tenant), {
      metadata: {
        finalizers: [...finalizers, TENANT_FINALIZER],
        resourceVersion: tenant.metadata.resourceVersion,
      },
    });
  }

  async #place(tenant: Tenant, progress: Progress): Promise<MongoCluster> {
    const clusters = this.#deps.listMongoClusters();
    const locked = tenant.status?.cluster;
    if (locked) {
      progress.cluster = locked;
      const cluster = clusters.find((c) => c.metadata.name === locked);
      if (!cluster) {
        throw new StepFailure(
          ConditionType.Placed,
          Reason.ClusterNotFound,
          `MongoCluster ${locked} does not exist`,
          {
            stalled: true,
          },
        );
      }
      progress.set(ConditionType.Placed, 'True', placedReason(tenant), `placed on ${locked}`);
      return cluster;
    }
    const decision = placeTenant(
      {
        clusterName: tenant.spec.placement?.clusterName,
        matchLabels: tenant.spec.placement?.clusterSelector?.matchLabels,
      },
      clusters.map((c) => this.#candidate(c)),
    );
    if (!decision.placed) {
      throw new StepFailure(ConditionType.Placed, decision.reason, decision.message, { stalled: true });
    }
    // Count the choice at once, before any await: concurrent reconciles of other new tenants then
    // see it, instead of all picking the same emptiest cluster.
    const key = this.#key(tenant);
    this.#recentPlacements.set(key, decision.cluster);
    // Lock the choice in status before anything is created on the cluster.
    try {
      await applyCustomObjectStatus(this.#deps.kube, this.#ref(tenant), {
        apiVersion: API_VERSION,
        kind: 'Tenant',
        metadata: { name: tenant.metadata.name, namespace: tenant.metadata.namespace },
        status: { ...(tenant.status ?? {}), cluster: decision.cluster },
      });
    } catch (error) {
      this.#recentPlacements.delete(key);
      throw error;
    }
    tenant.status = { ...tenant.status, cluster: decision.cluster };
    progress.cluster = decision.cluster;
    // The same reason and message later passes compute, so a converged status never changes;
    // why this cluster was chosen goes into the Placed event.
    progress.set(ConditionType.Placed, 'True', placedReason(tenant), `placed on ${decision.cluster}`);
    await this.#event(tenant, 'Normal', 'Placed', decision.message);
    const cluster = clusters.find((c) => c.metadata.name === decision.cluster);
    if (!cluster) throw new Error('placement chose a cluster that is not in the list');
    return cluster;
  }

  #candidate(cluster: MongoCluster): ClusterCandidate {
    const name = cluster.metadata.name;
    const placed = new Set<string>();
    for (const t of this.#deps.listTenants()) {
      if (t.status?.cluster === name) placed.add(this.#key(t));
    }
    for (const [key, clusterName] of this.#recentPlacements) if (clusterName === name) placed.add(key);
    return {
      name,
      labels: cluster.spec.labels ?? {},
      capacity: cluster.spec.capacity ?? null,
      cordoned: cluster.spec.cordoned,
      weight: cluster.spec.weight,
      reachable: cluster.status?.reachable ?? true,
      tenantCount: placed.size,
    };
  }

  /**
   * A new tenant gets a `provisioning` record before anything is created on its cluster: the API
   * answers 503 with Retry-After instead of 404, and a taken subdomain stops the tenant before it
   * costs a database. An existing record is left to the registry step.
   */
  async #reserveRegistryRecord(tenant: Tenant, cluster: string): Promise<void> {
    const tenantId = tenantIdOf(tenant);
    try {
      if (await this.#deps.registry.get(tenantId)) return;
      const written = await this.#deps.registry.put({
        ...desiredRecord(tenant, cluster, tenant.status?.database ?? databaseNameFor(tenantId), null, null),
        status: 'provisioning',
      });
      await this.#announce(written);
    } catch (error) {
      throw registryFailure(tenant, error);
    }
  }

  async #connect(cluster: MongoCluster): Promise<ClusterConnection> {
    try {
      return await this.#deps.clusters.get(cluster);
    } catch (error) {
      const message =
        error instanceof ClusterConnectionError
          ? `MongoCluster ${cluster.metadata.name}: ${error.message}`
          : `MongoCluster ${cluster.metadata.name}: ${safeMessage(error)}`;
      throw new StepFailure(ConditionType.DatabaseReady, Reason.ClusterUnreachable, message, {
        cause: error,
      });
    }
  }

  async #ensureDatabase(tenant: Tenant, connection: ClusterConnection, progress: Progress): Promise<string> {
    const database = tenant.status?.database ?? databaseNameFor(tenantIdOf(tenant));
    progress.database = database;
    try {
      const result = await applyMigrations(connection.client.db(database), { now: this.#now });
      if (result.applied.length > 0) {
        const what = result.from === 0 ? `created database ${database}` : `migrated database ${database}`;
        await this.#event(tenant, 'Normal', 'Migrated', `${what} to schema version ${result.to}`);
      }
      progress.set(
        ConditionType.DatabaseReady,
        'True',
        Reason.SchemaCurrent,
        `database ${database} at schema version ${result.to}`,
      );
    } catch (error) {
      throw new StepFailure(
        ConditionType.DatabaseReady,
        Reason.MigrationFailed,
        `migrating ${database}: ${safeMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    return database;
  }

  async #ensureUser(
    tenant: Tenant,
    connection: ClusterConnection,
    database: string,
    progress: Progress,
  ): Promise<{ username: string; password: string; uri: string }> {
    const shape = tenant.spec.connectionSecret;
    const secretName = shape.name ?? connectionSecretNameFor(tenant.metadata.name);
    const username = databaseUserFor(tenantIdOf(tenant));
    try {
      const secret = await this.#readSecret(tenant.metadata.namespace, secretName);
      const known =
        readSecretValue(secret, shape.usernameKey) === username
          ? readSecretValue(secret, shape.passwordKey)
          : undefined;
      const password = known ?? generatePassword();
      const uri = buildTenantUri({
        adminUri: connection.adminUri,
        hosts: connection.tenantHosts,
        username,
        password,
        database,
      });
      const exists = await userExists(connection.client, database, username);
      const passwordWorks = exists && known !== undefined && (await credentialsWork(uri));
      const change = await ensureDatabaseUser(
        connection.client,
        { database, username, password, flavour: connection.info.flavour },
        { exists, passwordWorks },
      );
      if (change === 'created')
        await this.#event(tenant, 'Normal', 'UserCreated', `created database user ${username}`);
      if (change === 'passwordReset') {
        await this.#event(
          tenant,
          'Normal',
          'PasswordReset',
          `set a new password for database user ${username}; the connection Secret carries it`,
        );
      }
      progress.set(
        ConditionType.UserReady,
        'True',
        Reason.CredentialsVerified,
        `database user ${username} authenticates on ${database}`,
      );
      return { username, password, uri };
    } catch (error) {
      throw new StepFailure(
        ConditionType.UserReady,
        Reason.UserProvisioningFailed,
        `database user ${username}: ${safeMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async #seedAdmin(
    tenant: Tenant,
    connection: ClusterConnection,
    database: string,
    progress: Progress,
  ): Promise<void> {
    const email = tenant.spec.admin?.email;
    if (!email) {
      progress.set(ConditionType.AdminSeeded, 'True', Reason.NoAdminRequested, 'spec.admin is not set');
      return;
    }
    const name = adminSecretNameFor(tenant.metadata.name);
    progress.adminSecretName = name;
    try {
      const db = connection.client.db(database);
      if (await findAccountByEmail(db, email)) {
        progress.set(ConditionType.AdminSeeded, 'True', Reason.AdminPresent, `administrator ${email} exists`);
        return;
      }
      // The password is delivered before the account exists, so a crash in between cannot lose it.
      let secret = await this.#readSecret(tenant.metadata.namespace, name);
      let password =
        readSecretValue(secret, 'email') === email ? readSecretValue(secret, 'password') : undefined;
      if (!password) {
        password = generatePassword();
        secret = await applyObject(this.#deps.kube, desiredAdminSecret(tenant, name, email, password));
      }
      await seedAdmin(db, { email, password, now: this.#now() });
      await this.#event(
        tenant,
        'Normal',
        'AdminSeeded',
        `created administrator ${email}; the initial password is in Secret ${name}`,
      );
      progress.set(ConditionType.AdminSeeded, 'True', Reason.AdminPresent, `administrator ${email} exists`);
    } catch (error) {
      throw new StepFailure(
        ConditionType.AdminSeeded,
        Reason.AdminSeedFailed,
        `seeding administrator: ${safeMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async #ensureConnectionSecret(
    tenant: Tenant,
    credentials: { username: string; password: string; uri: string },
    progress: Progress,
  ): Promise<void> {
    const name = tenant.spec.connectionSecret.name ?? connectionSecretNameFor(tenant.metadata.name);
    progress.secretName = name;
    try {
      const desired = desiredConnectionSecret(tenant, name, {
        ...credentials,
        database: progress.database ?? '',
      });
      const live = await this.#readSecret(tenant.metadata.namespace, name);
      if (!secretMatches(live, desired)) {
        await applyObject(this.#deps.kube, desired);
        const verb = live ? 'updated' : tenant.status?.secretName ? 'restored' : 'created';
        await this.#event(
          tenant,
          'Normal',
          `Secret${verb[0]?.toUpperCase()}${verb.slice(1)}`,
          `${verb} connection Secret ${name}`,
        );
      }
      progress.set(
        ConditionType.SecretReady,
        'True',
        Reason.SecretCurrent,
        `connection Secret ${name} is current`,
      );
    } catch (error) {
      throw new StepFailure(
        ConditionType.SecretReady,
        Reason.SecretWriteFailed,
        `connection Secret ${name}: ${safeMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async #syncRegistry(
    tenant: Tenant,
    cluster: string,
    database: string,
    dbURI: string,
    progress: Progress,
  ): Promise<void> {
    const tenantId = tenantIdOf(tenant);
    try {
      const stored = await this.#deps.registry.get(tenantId);
      const desired = desiredRecord(tenant, cluster, database, dbURI, stored);
      if (!stored || !recordMatches(stored, desired)) {
        const written = await this.#deps.registry.put(desired);
        await this.#announce(written, stored?.subdomain);
        if (stored?.status !== desired.status && desired.status === 'suspended') {
          await this.#event(tenant, 'Normal', 'Suspended', 'registry record suspended; the API answers 403');
        } else if (stored?.status === 'suspended' && desired.status === 'active') {
          await this.#event(tenant, 'Normal', 'Resumed', 'registry record active again');
        } else {
          await this.#event(
            tenant,
            'Normal',
            'RegistryUpdated',
            `registry record ${tenantId} written (generation ${written.generation})`,
          );
        }
      }
      progress.set(
        ConditionType.RegistrySynced,
        'True',
        Reason.RecordCurrent,
        `registry record ${tenantId} is ${desired.status}`,
      );
    } catch (error) {
      throw registryFailure(tenant, error);
    }
  }

  // ---- moving to another cluster -------------------------------------------------------------

  /**
   * A move past its copy (Switching: the registry already points at the target, the source may be
   * partly dropped) is committed, whatever spec.move says now.
   */
  #committedMove(tenant: Tenant): MoveStatus | null {
    const move = tenant.status?.move;
    return move?.phase === 'Switching' &&
      move.fromCluster === tenant.status?.cluster &&
      move.toCluster !== tenant.status?.cluster
      ? move
      : null;
  }

  /** Whether there is a move to run: a committed one, or spec.move asking for another cluster. */
  #movePending(tenant: Tenant): boolean {
    if (this.#committedMove(tenant)) return true;
    const to = tenant.spec.move?.toCluster;
    const from = tenant.status?.cluster;
    return to !== undefined && from !== undefined && to !== from;
  }

  /**
   * A move withdrawn (or retargeted) before its commit is marked Abandoned first, so the next
   * request starts again from the drain instead of resuming a copy that writes may have passed.
   */
  async #abandonUncommittedMove(tenant: Tenant): Promise<void> {
    const move = tenant.status?.move;
    if (move?.phase !== 'Draining' && move?.phase !== 'Copying') return;
    if (tenant.spec.move?.toCluster === move.toCluster && tenant.status?.cluster === move.fromCluster) return;
    const abandoned: MoveStatus = { ...move, phase: 'Abandoned', completedAt: this.#now().toISOString() };
    await applyCustomObjectStatus(this.#deps.kube, this.#ref(tenant), {
      apiVersion: API_VERSION,
      kind: 'Tenant',
      metadata: { name: tenant.metadata.name, namespace: tenant.metadata.namespace },
      status: { ...tenant.status, move: abandoned },
    });
    tenant.status = { ...tenant.status, move: abandoned };
    await this.#event(
      tenant,
      'Normal',
      'MoveAbandoned',
      `the move to ${move.toCluster} was withdrawn before its copy was committed; the tenant stays on ${move.fromCluster}`,
    );
  }

  /**
   * Why a requested move cannot start, if it cannot: the target must exist and take tenants. A
   * move already under way is not second-guessed (its copy may be half done).
   */
  async #checkMove(tenant: Tenant): Promise<StepFailure | null> {
    if (!this.#movePending(tenant) || this.#committedMove(tenant)) return null;
    const to = tenant.spec.move?.toCluster ?? '';
    const started = tenant.status?.move;
    if (
      started?.toCluster === to &&
      started.fromCluster === tenant.status?.cluster &&
      started.phase !== 'Done'
    )
      return null;
    const refuse = (message: string) =>
      new StepFailure(ConditionType.Moved, Reason.MoveTargetUnavailable, message, { stalled: true });
    const cluster = this.#deps.listMongoClusters().find((c) => c.metadata.name === to);
    if (!cluster) return refuse(`cannot move to ${to}: no such MongoCluster`);
    const candidate = this.#candidate(cluster);
    if (candidate.cordoned) return refuse(`cannot move to ${to}: the MongoCluster is cordoned`);
    if (!candidate.reachable) return refuse(`cannot move to ${to}: the MongoCluster is unreachable`);
    if (candidate.capacity !== null && candidate.tenantCount >= candidate.capacity) {
      return refuse(
        `cannot move to ${to}: the MongoCluster is full (${candidate.tenantCount}/${candidate.capacity})`,
      );
    }
    // Two MongoClusters for one server: the copy would begin by dropping the source.
    const source = this.#deps.listMongoClusters().find((c) => c.metadata.name === tenant.status?.cluster);
    if (source) {
      try {
        const [a, b] = [await this.#deps.clusters.get(source), await this.#deps.clusters.get(cluster)];
        if (sameServers(a.adminUri, b.adminUri)) {
          return refuse(`cannot move to ${to}: it is the same server as ${source.metadata.name}`);
        }
      } catch (error) {
        return refuse(`cannot move to ${to}: ${safeMessage(error)}`);
      }
    }
    return null;
  }

  /**
   * One pass of a move, resumable from its phase in status.move:
   * Draining — the registry says `moving` (the API answers 503) and in-flight requests finish;
   * Copying — the database is copied to the new cluster, the user created there, and the registry
   * record points at it (still `moving`); Switching — the old database is dropped if asked, then
   * status.cluster changes (the CRD allows it only from this phase). Returns 'done' when the
   * tenant is on its new cluster and the usual steps should finish it there.
   */
  async #move(tenant: Tenant): Promise<ReconcileOutcome | 'done'> {
    const from = tenant.status?.cluster ?? '';
    const committed = this.#committedMove(tenant);
    const spec = committed
      ? { toCluster: committed.toCluster ?? from, sourcePolicy: committed.sourcePolicy ?? 'Retain' }
      : (tenant.spec.move ?? { toCluster: from, sourcePolicy: 'Retain' as const });
    const to = spec.toCluster;
    const tenantId = tenantIdOf(tenant);
    const database = tenant.status?.database ?? databaseNameFor(tenantId);
    const started = tenant.status?.move;
    let move: MoveStatus =
      started?.fromCluster === from &&
      started.toCluster === to &&
      (started.phase === 'Draining' || started.phase === 'Copying' || started.phase === 'Switching')
        ? started
        : { fromCluster: from, toCluster: to, sourcePolicy: spec.sourcePolicy };
    const fail = (reason: Reason, message: string, cause: unknown) =>
      new StepFailure(ConditionType.Moved, reason, message, { cause });
    const fence = () => {
      if (this.#deps.stillLeading && !this.#deps.stillLeading()) {
        throw fail(Reason.MoveFailed, 'this replica no longer leads; the new leader carries on', undefined);
      }
    };

    if (move.phase === undefined) {
      const now = this.#now();
      fence();
      await this.#setRegistryMoving(tenant);
      move = {
        ...move,
        phase: 'Draining',
        startedAt: now.toISOString(),
        drainUntil: new Date(now.getTime() + (this.#deps.moveDrainMs ?? 45_000)).toISOString(),
      };
      await this.#writeMoveStatus(tenant, move);
      await this.#event(
        tenant,
        'Normal',
        'MoveStarted',
        `moving from ${from} to ${to}: the API answers 503 until the database is copied`,
      );
    }
    if (move.phase === 'Draining') {
      await this.#setRegistryMoving(tenant);
      const wait = Date.parse(move.drainUntil ?? '') - this.#now().getTime();
      if (wait > 0) return { requeueAfterMs: wait };
      move = { ...move, phase: 'Copying' };
      await this.#writeMoveStatus(tenant, move);
    }
    if (move.phase === 'Copying') {
      await this.#setRegistryMoving(tenant);
      const clusters = this.#deps.listMongoClusters();
      const source = clusters.find((c) => c.metadata.name === from);
      const target = clusters.find((c) => c.metadata.name === to);
      if (!source || !target) {
        throw fail(Reason.MoveFailed, `MongoCluster ${source ? to : from} does not exist`, undefined);
      }
      const [sourceConnection, targetConnection] = [await this.#connect(source), await this.#connect(target)];
      if (sameServers(sourceConnection.adminUri, targetConnection.adminUri)) {
        // Copying would begin by dropping the target: here, the source itself.
        throw new StepFailure(
          ConditionType.Moved,
          Reason.MoveTargetUnavailable,
          `cannot move to ${to}: it is the same server as ${from}`,
          { stalled: true },
        );
      }
      let copied: { collections: number; documents: number };
      try {
        copied = await copyDatabase(
          sourceConnection.client.db(database),
          targetConnection.client.db(database),
          { checkpoint: fence },
        );
      } catch (error) {
        if (error instanceof StepFailure) throw error;
        throw fail(
          Reason.MoveFailed,
          `copying ${database} from ${from} to ${to}: ${safeMessage(error)}`,
          error,
        );
      }
      const progress = new Progress();
      progress.database = database;
      const credentials = await this.#ensureUser(tenant, targetConnection, database, progress);
      fence();
      try {
        const stored = await this.#deps.registry.get(tenantId);
        const written = await this.#deps.registry.put({
          ...desiredRecord(tenant, to, database, credentials.uri, stored),
          status: 'moving',
        });
        await this.#announce(written);
      } catch (error) {
        throw registryFailure(tenant, error);
      }
      move = { ...move, phase: 'Switching', ...copied };
      await this.#writeMoveStatus(tenant, move);
      await this.#event(
        tenant,
        'Normal',
        'Copied',
        `copied ${copied.documents} documents in ${copied.collections} collections of ${database} to ${to}`,
      );
    }
    // Switching: the registry already points at the new cluster.
    fence();
    if (move.sourcePolicy === 'Delete') {
      const source = this.#deps.listMongoClusters().find((c) => c.metadata.name === from);
      if (source) {
        const connection = await this.#connect(source);
        try {
          await dropDatabaseUser(connection.client, database, databaseUserFor(tenantId));
          await connection.client.db(database).dropDatabase();
        } catch (error) {
          throw fail(Reason.MoveFailed, `dropping ${database} on ${from}: ${safeMessage(error)}`, error);
        }
        await this.#event(tenant, 'Normal', 'SourceDeleted', `dropped ${database} and its user on ${from}`);
      }
    }
    fence();
    const done: MoveStatus = { ...move, phase: 'Done', completedAt: this.#now().toISOString() };
    await applyCustomObjectStatus(this.#deps.kube, this.#ref(tenant), {
      apiVersion: API_VERSION,
      kind: 'Tenant',
      metadata: { name: tenant.metadata.name, namespace: tenant.metadata.namespace },
      status: { ...tenant.status, cluster: to, move: done },
    });
    tenant.status = { ...tenant.status, cluster: to, move: done };
    this.#recentPlacements.set(this.#key(tenant), to);
    await this.#event(tenant, 'Normal', 'Moved', `now on ${to}; the registry record is made active next`);
    return 'done';
  }

  /** The registry record says `moving` (the API answers 503), and every pod is told so. */
  async #setRegistryMoving(tenant: Tenant): Promise<void> {
    const tenantId = tenantIdOf(tenant);
    try {
      const stored = await this.#deps.registry.get(tenantId);
      if (!stored) return;
      const written =
        stored.status === 'moving'
          ? stored
          : await this.#deps.registry.setStatus(
              tenantId,
              'moving',
              Math.max(tenant.metadata.generation, stored.generation),
            );
      // Published on every pass of the drain and the copy, not only with the write: a pod that
      // missed one message (or a publish that failed after the write) gets another.
      await this.#announce(written);
    } catch (error) {
      throw registryFailure(tenant, error);
    }
  }

  /** Status while a move runs: phase Moving, Ready False, the step conditions as they were. */
  async #writeMoveStatus(tenant: Tenant, move: MoveStatus, failure?: StepFailure): Promise<void> {
    const message = failure
      ? failure.message
      : `moving from ${move.fromCluster} to ${move.toCluster}: ${move.phase?.toLowerCase() ?? 'starting'}`;
    const reason = failure ? failure.reason : Reason.MoveInProgress;
    const overrides: ConditionInput[] = [
      { type: ConditionType.Ready, status: 'False', reason, message },
      { type: ConditionType.Reconciling, status: 'True', reason: Reason.Progressing, message },
      { type: ConditionType.Stalled, status: 'False', reason: Reason.NoBlocker, message: 'no blocker' },
      { type: ConditionType.Moved, status: 'False', reason, message },
    ];
    const kept = (tenant.status?.conditions ?? [])
      .filter((c) => !overrides.some((o) => o.type === c.type))
      .map((c: Condition) => ({
        type: c.type as ConditionType,
        status: c.status,
        reason: c.reason as Reason,
        message: c.message,
      }));
    const generation = tenant.metadata.generation;
    const status: TenantStatusBlock = {
      ...tenant.status,
      observedGeneration: generation,
      phase: 'Moving',
      move,
      conditions: mergeConditions(
        tenant.status?.conditions,
        [...overrides, ...kept],
        generation,
        this.#now(),
      ),
    };
    if (isDeepStrictEqual(normaliseStatus(tenant.status), normaliseStatus(status))) return;
    await applyCustomObjectStatus(this.#deps.kube, this.#ref(tenant), {
      apiVersion: API_VERSION,
      kind: 'Tenant',
      metadata: { name: tenant.metadata.name, namespace: tenant.metadata.namespace },
      status,
    });
    tenant.status = status;
    if (failure) await this.#event(tenant, 'Warning', failure.reason, failure.message);
  }

  // ---- deletion ------------------------------------------------------------------------------

  async #finalize(tenant: Tenant): Promise<ReconcileOutcome> {
    if (!(tenant.metadata.finalizers ?? []).includes(TENANT_FINALIZER)) return undefined;
    const tenantId = tenantIdOf(tenant);
    const generation = tenant.metadata.generation;
    try {
      const stored = await this.#deps.registry.get(tenantId);
      const atGeneration = Math.max(generation, stored?.generation ?? 0);
      if (tenant.spec.deletionPolicy === 'Retain') {
        if (stored && stored.status !== 'deleted') {
          await this.#deps.registry.setStatus(tenantId, 'deleted', atGeneration);
          await this.#announce({ tenantId, generation: atGeneration, subdomain: stored.subdomain });
        }
        await this.#event(
          tenant,
          'Normal',
          'Retained',
          'deletionPolicy Retain: database kept, registry record marked deleted',
        );
      } else {
        if (stored) {
          await this.#deps.registry.remove(tenantId, atGeneration);
          await this.#announce({ tenantId, generation: atGeneration, subdomain: stored.subdomain });
        }
        // Where the tenant runs, and the target of a move under way (a partial or complete copy).
        const move = tenant.status?.move;
        const moving = move?.phase === 'Copying' || move?.phase === 'Switching' ? move.toCluster : undefined;
        for (const clusterName of new Set([tenant.status?.cluster, moving])) {
          if (!clusterName) continue;
          const cluster = this.#deps.listMongoClusters().find((c) => c.metadata.name === clusterName);
          if (!cluster)
            throw new Error(`MongoCluster ${clusterName} does not exist, so the database cannot be dropped`);
          const connection = await this.#deps.clusters.get(cluster);
          const database = tenant.status?.database ?? databaseNameFor(tenantId);
          await dropDatabaseUser(connection.client, database, databaseUserFor(tenantId));
          await connection.client.db(database).dropDatabase();
        }
        await this.#event(
          tenant,
          'Normal',
          'Deleted',
          'deletionPolicy Delete: registry record, database user and database removed',
        );
      }
    } catch (error) {
      const message = `cleanup failed, will retry: ${safeMessage(error)}`;
      const progress = new Progress();
      progress.failure = new StepFailure(ConditionType.Ready, Reason.CleanupFailed, message);
      await this.#writeStatus(tenant, progress, 'Deleting');
      await this.#event(tenant, 'Warning', Reason.CleanupFailed, message);
      throw progress.failure;
    }
    await mergePatchCustomObject(this.#deps.kube, this.#ref(tenant), {
      metadata: {
        finalizers: (tenant.metadata.finalizers ?? []).filter((f) => f !== TENANT_FINALIZER),
        resourceVersion: tenant.metadata.resourceVersion,
      },
    });
    this.#recentPlacements.delete(this.#key(tenant));
    return undefined;
  }

  // ---- status --------------------------------------------------------------------------------

  async #writeStatus(tenant: Tenant, progress: Progress, phaseOverride?: TenantPhase): Promise<void> {
    const generation = tenant.metadata.generation;
    const blocker = progress.stalled ?? progress.failure;
    const ready = !blocker && STEP_CONDITIONS.every((t) => progress.conditions.get(t)?.status === 'True');
    const suspended = tenant.spec.suspended;
    const updates: ConditionInput[] = [];
    if (ready) {
      updates.push({
        type: ConditionType.Ready,
        status: 'True',
        reason: suspended ? Reason.Suspended : Reason.Provisioned,
        message: suspended
          ? 'tenant is suspended: its data is kept and the API answers 403'
          : `tenant is provisioned on ${progress.cluster} and registered`,
      });
    } else {
      updates.push({
        type: ConditionType.Ready,
        status: 'False',
        reason: blocker?.reason ?? Reason.Progressing,
        message: blocker?.message ?? 'provisioning',
      });
    }
    updates.push(
      ready
        ? {
            type: ConditionType.Reconciling,
            status: 'False',
            reason: Reason.Converged,
            message: 'nothing left to do',
          }
        : {
            type: ConditionType.Reconciling,
            status: 'True',
            reason: progress.stalled ? Reason.Pending : Reason.Progressing,
            message: progress.stalled
              ? 'waiting for the blocker to be resolved'
              : 'working towards the desired state',
          },
      progress.stalled
        ? {
            type: ConditionType.Stalled,
            status: 'True',
            reason: progress.stalled.reason,
            message: progress.stalled.message,
          }
        : { type: ConditionType.Stalled, status: 'False', reason: Reason.NoBlocker, message: 'no blocker' },
    );
    const moved = progress.conditions.get(ConditionType.Moved);
    if (moved) updates.push(moved);
    for (const type of STEP_CONDITIONS) {
      updates.push(
        progress.conditions.get(type) ?? {
          type,
          status: 'Unknown',
          reason: Reason.Pending,
          message: 'not reached yet',
        },
      );
    }
    const phase: TenantPhase =
      phaseOverride ??
      (ready
        ? suspended
          ? 'Suspended'
          : 'Ready'
        : progress.stalled
          ? 'Failed'
          : progress.cluster
            ? 'Provisioning'
            : 'Pending');
    const status: TenantStatusBlock = {
      observedGeneration: generation,
      phase,
      ...((progress.cluster ?? tenant.status?.cluster)
        ? { cluster: progress.cluster ?? tenant.status?.cluster }
        : {}),
      ...((progress.database ?? tenant.status?.database)
        ? { database: progress.database ?? tenant.status?.database }
        : {}),
      ...((progress.secretName ?? tenant.status?.secretName)
        ? { secretName: progress.secretName ?? tenant.status?.secretName }
        : {}),
      ...((progress.adminSecretName ?? tenant.status?.adminSecretName)
        ? { adminSecretName: progress.adminSecretName ?? tenant.status?.adminSecretName }
        : {}),
      ...(tenant.status?.move ? { move: tenant.status.move } : {}),
      conditions: mergeConditions(tenant.status?.conditions, updates, generation, this.#now()),
    };
    if (isDeepStrictEqual(normaliseStatus(tenant.status), normaliseStatus(status))) return;
    await applyCustomObjectStatus(this.#deps.kube, this.#ref(tenant), {
      apiVersion: API_VERSION,
      kind: 'Tenant',
      metadata: { name: tenant.metadata.name, namespace: tenant.metadata.namespace },
      status,
    });
    const wasReady = tenant.status?.conditions?.find((c) => c.type === ConditionType.Ready);
    const nowReady = status.conditions?.find((c) => c.type === ConditionType.Ready);
    if (nowReady && (wasReady?.status !== nowReady.status || wasReady?.reason !== nowReady.reason)) {
      const type: EventType =
        nowReady.status === 'True' ? 'Normal' : nowReady.reason === Reason.Progressing ? 'Normal' : 'Warning';
      await this.#event(tenant, type, nowReady.reason, nowReady.message);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  #ref(tenant: Tenant) {
    return {
      group: GROUP,
      version: VERSION,
      plural: TENANT_PLURAL,
      name: tenant.metadata.name,
      namespace: tenant.metadata.namespace,
    };
  }

  #key(tenant: Tenant): string {
    return `${tenant.metadata.namespace}/${tenant.metadata.name}`;
  }

  /**
   * Tells every API pod that the tenant's record changed (the registry's invalidation channel), under
   * its subdomain and, after a change of subdomain, the one it had before.
   */
  async #announce(
    record: Pick<TenantRecord, 'tenantId' | 'generation' | 'subdomain'>,
    previousSubdomain?: string,
  ): Promise<void> {
    await publishInvalidation(this.#deps.redis, {
      kind: 'tenant',
      id: record.tenantId,
      generation: record.generation,
      subdomains: [...new Set([record.subdomain, ...(previousSubdomain ? [previousSubdomain] : [])])],
    });
  }

  async #event(tenant: Tenant, type: EventType, reason: string, message: string): Promise<void> {
    await this.#deps.events.record(
      {
        apiVersion: API_VERSION,
        kind: 'Tenant',
        name: tenant.metadata.name,
        namespace: tenant.metadata.namespace,
        uid: tenant.metadata.uid,
      },
      type,
      reason,
      message,
    );
  }
}

function registryFailure(tenant: Tenant, error: unknown): StepFailure {
  if (isRegistryError(error, 'SUBDOMAIN_TAKEN')) {
    return new StepFailure(
      ConditionType.RegistrySynced,
      Reason.SubdomainTaken,
      `subdomain ${tenant.spec.subdomain} is already used by another tenant`,
      { stalled: true, cause: error },
    );
  }
  return new StepFailure(
    ConditionType.RegistrySynced,
    Reason.RegistryWriteFailed,
    `registry: ${safeMessage(error)}`,
    {
      cause: error,
    },
  );
}

function placedReason(tenant: Tenant): Reason {
  return tenant.spec.placement?.clusterName ? Reason.Pinned : Reason.LeastLoaded;
}

function normaliseStatus(status: TenantStatusBlock | undefined): unknown {
  if (!status) return {};
  const { conditions, ...rest } = status;
  const sorted = [...(conditions ?? [])].sort((a, b) => a.type.localeCompare(b.type));
  return { ...rest, conditions: sorted.map((c) => ({ ...c })) };
}

function newSigningKey(now: Date): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { kid: `k-${randomBytes(6).toString('hex')}`, alg: 'EdDSA', jwk, createdAt: now };
}

function desiredRecord(
  tenant: Tenant,
  cluster: string,
  database: string,
  dbURI: string | null,
  stored: TenantRecord | null,
): TenantInput {
  return {
    tenantId: tenantIdOf(tenant),
    subdomain: tenant.spec.subdomain,
    displayName: tenant.spec.displayName,
    plan: tenant.spec.plan,
    isolation: tenant.spec.isolation,
    status: tenant.spec.suspended ? 'suspended' : 'active',
    cluster,
    database,
    dbURI,
    signingKeys: stored && stored.signingKeys.length > 0 ? stored.signingKeys : [newSigningKey(new Date())],
    generation: Math.max(tenant.metadata.generation, stored?.generation ?? 0),
  };
}

/** Equal in everything but bookkeeping: a record that only lags in generation is left alone. */
function recordMatches(stored: TenantRecord, desired: TenantInput): boolean {
  const { updatedAt: _u, generation: _g, ...a } = stored;
  const { generation: _d, ...b } = desired;
  return isDeepStrictEqual(a, b);
}

/** Whether two MongoDB URIs name the same set of servers. */
function sameServers(a: string, b: string): boolean {
  const hosts = (uri: string) =>
    (/^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri)?.[1] ?? uri)
      .toLowerCase()
      .split(',')
      .sort()
      .join(',');
  return hosts(a) === hosts(b);
}
