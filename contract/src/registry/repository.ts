import type { Collection, Db } from 'mongodb';
import { isUniqueViolation } from '../mongo-errors.ts';
import type { RegistryCipher } from './cipher.ts';
import { RegistryError } from './errors.ts';
import { ClusterInput, ClusterRecord, TenantInput, TenantRecord, type TenantStatus } from './schema.ts';

/**
 * Documents as stored: secret fields hold JWE ciphertexts, `_id` is the tenant id or cluster name.
 * A `SealedTenant` is safe to cache outside the process (the API's Redis layer): it carries no
 * plaintext secret, and `unseal` validates and decrypts it.
 */
export interface SealedTenant extends Omit<TenantRecord, 'tenantId' | 'dbURI' | 'signingKeys'> {
  _id: string;
  dbURI: string | null;
  signingKeys: string | null;
  format: 1;
}

interface StoredCluster extends Omit<ClusterRecord, 'name' | 'apiURI'> {
  _id: string;
  apiURI: string | null;
  format: 1;
}

export interface ListOptions {
  /** Return records whose id sorts after this one (cursor pagination). */
  after?: string;
  limit?: number;
  status?: TenantStatus;
  cluster?: string;
}

export interface RegistryOptions {
  db: Db;
  cipher: RegistryCipher;
  now?: () => Date;
}

const TENANTS = 'tenants';
const CLUSTERS = 'clusters';

/**
 * The tenant registry in the system database: the only state the operator and the API share.
 * Writes are conditional on `generation` (the Tenant resource's metadata.generation), so a replica
 * working from an older view of a Tenant cannot overwrite a newer record.
 */
export class TenantRegistry {
  readonly #tenants: Collection<SealedTenant>;
  readonly #clusters: Collection<StoredCluster>;
  readonly #cipher: RegistryCipher;
  readonly #now: () => Date;

  constructor(options: RegistryOptions) {
    this.#tenants = options.db.collection<SealedTenant>(TENANTS);
    this.#clusters = options.db.collection<StoredCluster>(CLUSTERS);
    this.#cipher = options.cipher;
    this.#now = options.now ?? (() => new Date());
  }

  /** Creates the registry's indexes; safe to call on every start of either half. */
  async ensureIndexes(): Promise<void> {
    await this.#tenants.createIndex({ subdomain: 1 }, { unique: true, name: 'subdomain_unique' });
    await this.#tenants.createIndex({ cluster: 1 }, { name: 'cluster' });
  }

  // ---- tenants -------------------------------------------------------------------------------

  async get(tenantId: string): Promise<TenantRecord | null> {
    const doc = await this.#tenants.findOne({ _id: tenantId });
    return doc ? this.#decodeTenant(doc) : null;
  }

  async getBySubdomain(subdomain: string): Promise<TenantRecord | null> {
    const doc = await this.#tenants.findOne({ subdomain });
    return doc ? this.#decodeTenant(doc) : null;
  }

  /** The stored form, still encrypted, by tenant id or subdomain: for caches outside the process. */
  async findSealed(key: { tenantId: string } | { subdomain: string }): Promise<SealedTenant | null> {
    return this.#tenants.findOne('tenantId' in key ? { _id: key.tenantId } : { subdomain: key.subdomain });
  }

  /** Validates and decrypts a sealed record, e.g. one read back from Redis as JSON. */
  async unseal(sealed: SealedTenant): Promise<TenantRecord> {
    return this.#decodeTenant({ ...sealed, updatedAt: new Date(sealed.updatedAt) });
  }

  /**
   * Inserts or replaces a tenant record. Refused with STALE_GENERATION when the stored record
   * comes from a newer generation, and with SUBDOMAIN_TAKEN when another tenant holds the
   * subdomain; in both cases nothing is written. Writing the same generation again is allowed
   * (a reconcile that repeats itself converges).
   */
  async put(input: TenantInput | TenantRecord): Promise<TenantRecord> {
    const { updatedAt: _ignored, ...fields } = input as TenantRecord;
    const parsed = TenantInput.safeParse(fields);
    if (!parsed.success) {
      throw new RegistryError(
        'INVALID_RECORD',
        { record: `tenant/${String(input.tenantId)}` },
        { cause: parsed.error },
      );
    }
    const record: TenantRecord = { ...parsed.data, updatedAt: this.#now() };
    const doc = await this.#encodeTenant(record);
    const { _id, ...replacement } = doc;
    try {
      await this.#tenants.replaceOne({ _id, generation: { $lte: record.generation } }, replacement, {
        upsert: true,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw await this.#classifyConflict(record, error);
    }
    return record;
  }

  /** Changes only the status, under the same generation rule as `put`. */
  async setStatus(tenantId: string, status: TenantStatus, generation: number): Promise<TenantRecord> {
    const current = await this.get(tenantId);
    if (!current) throw new RegistryError('TENANT_NOT_FOUND', { tenantId });
    if (generation < current.generation) {
      throw new RegistryError('STALE_GENERATION', {
        tenantId,
        stored: current.generation,
        given: generation,
      });
    }
    return this.put({ ...current, status, generation });
  }

  /** Removes a tenant's record, unless it was written from a newer generation than `generation`. */
  async remove(tenantId: string, generation: number): Promise<boolean> {
    const result = await this.#tenants.deleteOne({ _id: tenantId, generation: { $lte: generation } });
    if (result.deletedCount === 1) return true;
    const stored = await this.#tenants.findOne({ _id: tenantId }, { projection: { generation: 1 } });
    if (stored)
      throw new RegistryError('STALE_GENERATION', { tenantId, stored: stored.generation, given: generation });
    return false;
  }

  /** Tenants in id order, `limit` at most (default 100, max 1000), after the `after` cursor. */
  async list(options: ListOptions = {}): Promise<TenantRecord[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const filter: Record<string, unknown> = {};
    if (options.after !== undefined) filter._id = { $gt: options.after };
    if (options.status !== undefined) filter.status = options.status;
    if (options.cluster !== undefined) filter.cluster = options.cluster;
    const docs = await this.#tenants.find(filter).sort({ _id: 1 }).limit(limit).toArray();
    return Promise.all(docs.map((doc) => this.#decodeTenant(doc)));
  }

  /** Tenants placed on each cluster (deleted ones excluded): the input of placement. */
  async countByCluster(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const cursor = this.#tenants.find(
      { cluster: { $ne: null }, status: { $ne: 'deleted' } },
      { projection: { cluster: 1 } },
    );
    for await (const doc of cursor) {
      if (doc.cluster) counts.set(doc.cluster, (counts.get(doc.cluster) ?? 0) + 1);
    }
    return counts;
  }

  // ---- clusters ------------------------------------------------------------------------------

  async getCluster(name: string): Promise<ClusterRecord | null> {
    const doc = await this.#clusters.findOne({ _id: name });
    return doc ? this.#decodeCluster(doc) : null;
  }

  async listClusters(): Promise<ClusterRecord[]> {
    const docs = await this.#clusters.find({}).sort({ _id: 1 }).toArray();
    return Promise.all(docs.map((doc) => this.#decodeCluster(doc)));
  }

  /** Inserts or replaces a cluster record under the generation rule of `put`. */
  async putCluster(input: ClusterInput | ClusterRecord): Promise<ClusterRecord> {
    const { updatedAt: _ignored, ...fields } = input as ClusterRecord;
    const parsed = ClusterInput.safeParse(fields);
    if (!parsed.success) {
      throw new RegistryError(
        'INVALID_RECORD',
        { record: `cluster/${String(input.name)}` },
        { cause: parsed.error },
      );
    }
    const record: ClusterRecord = { ...parsed.data, updatedAt: this.#now() };
    const { name, apiURI, ...rest } = record;
    const replacement = {
      ...rest,
      apiURI:
        apiURI === null
          ? null
          : await this.#cipher.encrypt(apiURI, { record: `cluster/${name}`, field: 'apiURI' }),
      format: 1 as const,
    };
    try {
      await this.#clusters.replaceOne({ _id: name, generation: { $lte: record.generation } }, replacement, {
        upsert: true,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const stored = await this.#clusters.findOne({ _id: name }, { projection: { generation: 1 } });
      throw new RegistryError(
        'STALE_GENERATION',
        { cluster: name, stored: stored?.generation ?? -1, given: record.generation },
        { cause: error },
      );
    }
    return record;
  }

  async removeCluster(name: string): Promise<boolean> {
    return (await this.#clusters.deleteOne({ _id: name })).deletedCount === 1;
  }

  // ---- encoding ------------------------------------------------------------------------------

  async #classifyConflict(record: TenantRecord, cause: unknown): Promise<RegistryError> {
    const holder = await this.#tenants.findOne({ subdomain: record.subdomain }, { projection: { _id: 1 } });
    if (holder && holder._id !== record.tenantId) {
      return new RegistryError('SUBDOMAIN_TAKEN', { subdomain: record.subdomain }, { cause });
    }
    const stored = await this.#tenants.findOne({ _id: record.tenantId }, { projection: { generation: 1 } });
    if (stored && stored.generation > record.generation) {
      return new RegistryError(
        'STALE_GENERATION',
        { tenantId: record.tenantId, stored: stored.generation, given: record.generation },
        { cause },
      );
    }
    // A concurrent writer changed the picture between our write and this read: report it as a
    // conflict the caller retries, never as success.
    return new RegistryError(
      'STALE_GENERATION',
      { tenantId: record.tenantId, given: record.generation },
      { cause },
    );
  }

  async #encodeTenant(record: TenantRecord): Promise<SealedTenant> {
    const { tenantId, dbURI, signingKeys, ...rest } = record;
    const context = (field: string) => ({ record: `tenant/${tenantId}`, field });
    return {
      _id: tenantId,
      ...rest,
      dbURI: dbURI === null ? null : await this.#cipher.encrypt(dbURI, context('dbURI')),
      signingKeys:
        signingKeys.length === 0
          ? null
          : await this.#cipher.encrypt(JSON.stringify(signingKeys), context('signingKeys')),
      format: 1,
    };
  }

  async #decodeTenant(doc: SealedTenant): Promise<TenantRecord> {
    const { _id, dbURI, signingKeys, format: _format, ...rest } = doc;
    const context = (field: string) => ({ record: `tenant/${_id}`, field });
    const keys: unknown =
      signingKeys === null ? [] : JSON.parse(await this.#cipher.decrypt(signingKeys, context('signingKeys')));
    const parsed = TenantRecord.safeParse({
      tenantId: _id,
      ...rest,
      dbURI: dbURI === null ? null : await this.#cipher.decrypt(dbURI, context('dbURI')),
      signingKeys: keys,
    });
    if (!parsed.success)
      throw new RegistryError('INVALID_RECORD', { record: `tenant/${_id}` }, { cause: parsed.error });
    return parsed.data;
  }

  async #decodeCluster(doc: StoredCluster): Promise<ClusterRecord> {
    const { _id, apiURI, format: _format, ...rest } = doc;
    const parsed = ClusterRecord.safeParse({
      name: _id,
      ...rest,
      apiURI:
        apiURI === null
          ? null
          : await this.#cipher.decrypt(apiURI, { record: `cluster/${_id}`, field: 'apiURI' }),
    });
    if (!parsed.success)
      throw new RegistryError('INVALID_RECORD', { record: `cluster/${_id}` }, { cause: parsed.error });
    return parsed.data;
  }
}
