import type { Collection, Db } from 'mongodb';
import { isUniqueViolation } from '../../../contract/src/mongo-errors.ts';
import type { TenantOwner } from '../../../contract/src/registry/index.ts';
import type { MoveStatus } from '../resources/tenant.ts';

/**
 * The operator's own record of each tenant id it provisions, in the registry's database beside the
 * registry (collection `tenant_provisioning`; the API never reads it). It is where a tenant id is
 * claimed — first come, first served, by one Tenant object (namespace, name, UID) — and where the
 * operator keeps what it decided: the cluster, the database, a move under way. The Tenant's status
 * shows the same things, but is never read back: anyone allowed to patch `tenants/status` could
 * write it.
 */
export interface ProvisioningRecord {
  /** The tenant id. */
  readonly _id: string;
  readonly owner: TenantOwner;
  readonly claimedAt: Date;
  readonly database: string;
  /** Where the tenant is placed; null until placement. */
  readonly cluster: string | null;
  /** A move under way or the last one, as status.move shows it. */
  readonly move: MoveStatus | null;
  /** The owner a retained tenant was adopted from, until the registry record has the new owner too. */
  readonly adoptedFrom: string | null;
  /** The tenant's database credentials: which of its two users is live, and a rotation under way. */
  readonly credentials?: CredentialState | undefined;
  /** The tenant's token-signing keys: the last rotation asked for and done. */
  readonly signingKeys?: SigningKeyState | undefined;
}

/** Which of a tenant's two database users (they alternate on every rotation). */
export type UserSlot = 'primary' | 'secondary';

export interface CredentialRotation {
  /** The annotation value that asked for it, or null for a scheduled rotation. */
  readonly request: string | null;
  /** The user that takes over. */
  readonly to: UserSlot;
  /**
   * Preparing: the new user gets its password; Publishing: it is the live user, the Secret and
   * the registry are being switched to it; Overlapping: consumers move over until `revokeAt`;
   * then the previous user is dropped.
   */
  readonly phase: 'Preparing' | 'Publishing' | 'Overlapping';
  /** The new user's password, sealed with the registry keyring (never plaintext at rest). */
  readonly sealedPassword: string;
  readonly startedAt: Date;
  readonly revokeAt: Date | null;
}

export interface CredentialState {
  readonly current: UserSlot;
  /** When the current credential was published (null: never rotated). */
  readonly rotatedAt: Date | null;
  /** When the previous credential stopped working. */
  readonly previousRevokedAt: Date | null;
  /** The last rotate-credentials annotation value acted on. */
  readonly handledRequest: string | null;
  readonly rotation: CredentialRotation | null;
}

export interface SigningKeyState {
  /** When the newest key was added by a rotation (null: never rotated). */
  readonly rotatedAt: Date | null;
  /** The last rotate-signing-key annotation value acted on. */
  readonly handledRequest: string | null;
  /** Keys older than the newest stop verifying from then on (null: none to retire). */
  readonly retireAt: Date | null;
}

export const INITIAL_CREDENTIALS: CredentialState = {
  current: 'primary',
  rotatedAt: null,
  previousRevokedAt: null,
  handledRequest: null,
  rotation: null,
};

/** A conditional write found the record owned by someone else (or gone): the caller lost it. */
export class NotOwner extends Error {
  constructor(tenantId: string) {
    super(`tenant id ${tenantId} is not owned by this Tenant`);
    this.name = 'NotOwner';
  }
}

const COLLECTION = 'tenant_provisioning';

export class ProvisioningRecords {
  readonly #records: Collection<ProvisioningRecord>;

  constructor(db: Db) {
    this.#records = db.collection<ProvisioningRecord>(COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.#records.createIndex({ cluster: 1 }, { name: 'cluster' });
  }

  async get(tenantId: string): Promise<ProvisioningRecord | null> {
    return this.#records.findOne({ _id: tenantId });
  }

  /**
   * Claims a tenant id for `record.owner`. Returns the record that holds the id afterwards: the
   * new one, or the one that was there first (same owner: an earlier pass; another: refused).
   */
  async claim(record: ProvisioningRecord): Promise<ProvisioningRecord> {
    try {
      await this.#records.insertOne(record);
      return record;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const holder = await this.get(record._id);
    if (!holder) throw new Error(`tenant id ${record._id} was released while being claimed; retry`);
    return holder;
  }

  /** Places the tenant on `cluster`, once: a record already placed elsewhere keeps its cluster. */
  async lockCluster(tenantId: string, ownerUid: string, cluster: string): Promise<ProvisioningRecord> {
    const updated = await this.#records.findOneAndUpdate(
      { _id: tenantId, 'owner.uid': ownerUid, cluster: null },
      { $set: { cluster } },
      { returnDocument: 'after' },
    );
    if (updated) return updated;
    const current = await this.#owned(tenantId, ownerUid);
    return current;
  }

  async setMove(tenantId: string, ownerUid: string, move: MoveStatus | null): Promise<ProvisioningRecord> {
    return this.#update(tenantId, ownerUid, { move });
  }

  /** A move's switch: the tenant runs on `to` from now on. */
  async switchCluster(
    tenantId: string,
    ownerUid: string,
    to: string,
    move: MoveStatus,
  ): Promise<ProvisioningRecord> {
    return this.#update(tenantId, ownerUid, { cluster: to, move });
  }

  /** Hands a retained tenant id from its deleted owner to `owner` (conditional on the old owner). */
  async adopt(tenantId: string, fromUid: string, owner: TenantOwner): Promise<ProvisioningRecord> {
    const updated = await this.#records.findOneAndUpdate(
      { _id: tenantId, 'owner.uid': fromUid },
      { $set: { owner, adoptedFrom: fromUid } },
      { returnDocument: 'after' },
    );
    if (!updated) throw new NotOwner(tenantId);
    return updated;
  }

  async setCredentials(
    tenantId: string,
    ownerUid: string,
    credentials: CredentialState,
  ): Promise<ProvisioningRecord> {
    return this.#update(tenantId, ownerUid, { credentials });
  }

  async setSigningKeys(
    tenantId: string,
    ownerUid: string,
    signingKeys: SigningKeyState,
  ): Promise<ProvisioningRecord> {
    return this.#update(tenantId, ownerUid, { signingKeys });
  }

  /** The registry record names the adopting owner now: the adoption is complete. */
  async adopted(tenantId: string, ownerUid: string): Promise<ProvisioningRecord> {
    return this.#update(tenantId, ownerUid, { adoptedFrom: null });
  }

  /** Frees the tenant id (deletionPolicy Delete, once everything else is gone). */
  async release(tenantId: string, ownerUid: string): Promise<void> {
    await this.#records.deleteOne({ _id: tenantId, 'owner.uid': ownerUid });
  }

  /** Tenant id → cluster, for every placed tenant: what placement counts. */
  async placements(): Promise<Map<string, string>> {
    const placements = new Map<string, string>();
    for await (const record of this.#records.find(
      { cluster: { $ne: null } },
      { projection: { cluster: 1 } },
    )) {
      if (record.cluster) placements.set(record._id, record.cluster);
    }
    return placements;
  }

  async #update(
    tenantId: string,
    ownerUid: string,
    set: Partial<ProvisioningRecord>,
  ): Promise<ProvisioningRecord> {
    const updated = await this.#records.findOneAndUpdate(
      { _id: tenantId, 'owner.uid': ownerUid },
      { $set: set },
      { returnDocument: 'after' },
    );
    if (!updated) throw new NotOwner(tenantId);
    return updated;
  }

  async #owned(tenantId: string, ownerUid: string): Promise<ProvisioningRecord> {
    const current = await this.get(tenantId);
    if (!current || current.owner.uid !== ownerUid) throw new NotOwner(tenantId);
    return current;
  }
}
