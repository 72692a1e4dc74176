import type { Collection, Db } from 'mongodb';
import { systemClock } from '../clock.ts';
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
  /** The registry key the sealed fields were written with (absent on records that predate it). */
  sealedWith?: string;
  format: 1;
}

/**
 * A subdomain's claim, `_id` = subdomain: the look-up path by subdomain. FerretDB v1 (SQLite) hands
 * only a lone `_id` equality to SQLite; any other filter, `subdomain` included, has FerretDB decode
 * and match every document of the collection. Claims can go stale (a crash between two writes, a
 * lost race); they are only a pointer, and a read trusts one only if the tenant's record still
 * holds that subdomain.
 */
interface SubdomainClaim {
  _id: string;
  tenantId: string;
  /** When `put` claimed it (absent on backfilled claims). */
  at?: Date;
}

interface StoredCluster extends Omit<ClusterRecord, 'name' | 'apiURI'> {
  _id: string;
  apiURI: string | null;
  sealedWith?: string;
  format: 1;
}

export interface ListOptions {
  /** Return records whose id sorts after this one (cursor pagination). */
  after?: string;
  limit?: number;
  status?: TenantStatus;
  cluster?: string;
}

/** Whose record a write may replace: by default only the owner the written record names. */
export interface OwnerCondition {
  /**
   * The UID of the owner the stored record must have now (null: none recorded) — for a Tenant
   * adopting a retained record, or claiming one written before owners were recorded.
   */
  readonly replacingOwner?: string | null;
}

export interface RegistryOptions {
  db: Db;
  cipher: RegistryCipher;
  now?: () => Date;
}

const TENANTS = 'tenants';
const CLUSTERS = 'clusters';
const CLAIMS = 'tenant_subdomains';
/** One document, `{ _id: 'subdomain-claims' }`, written once every record has its claim. */
const META = 'registry_meta';
const CLAIMS_COMPLETE = 'subdomain-claims';
/** How often a reader asks again whether the claims are complete, while they are not. */
const CLAIMS_RECHECK_MS = 30_000;
/** Takeovers of a stale claim lost to a concurrent writer before `put` gives up with a conflict. */
const CLAIM_ATTEMPTS = 3;
/**
 * A claim whose tenant has no record yet is a `put` in flight for this long (claim, then record):
 * it holds the subdomain. Older, it is what a crash between the two writes left, and is stale.
 */
const CLAIM_IN_FLIGHT_MS = 30_000;

/**
 * The tenant registry in the system database: the only state the operator and the API share.
 * Writes are conditional on `generation` (the Tenant resource's metadata.generation), so a replica
 * working from an older view of a Tenant cannot overwrite a newer record.
 */
export class TenantRegistry {
  readonly #tenants: Collection<SealedTenant>;
  readonly #claims: Collection<SubdomainClaim>;
  readonly #meta: Collection<{ _id: string; at: Date }>;
  readonly #clusters: Collection<StoredCluster>;
  /** Once true, a subdomain without a claim has no record; until then readers fall back to a query. */
  #claimsComplete = false;
  #claimsCheckedAt = Number.NEGATIVE_INFINITY;
  readonly #cipher: RegistryCipher;
  readonly #now: () => Date;
  readonly #db: Db;

  constructor(options: RegistryOptions) {
    this.#db = options.db;
    this.#tenants = options.db.collection<SealedTenant>(TENANTS);
    this.#claims = options.db.collection<SubdomainClaim>(CLAIMS);
    this.#meta = options.db.collection<{ _id: string; at: Date }>(META);
    this.#clusters = options.db.collection<StoredCluster>(CLUSTERS);
    this.#cipher = options.cipher;
    this.#now = options.now ?? (() => systemClock.date());
  }

  /**
   * Seals a secret of the operator's own bookkeeping (e.g. a password being rotated in) with the
   * registry keyring, bound to `context` like every sealed registry field.
   */
  async seal(plaintext: string, context: { record: string; field: string }): Promise<string> {
    return this.#cipher.encrypt(plaintext, context);
  }

  async unsealSecret(sealed: string, context: { record: string; field: string }): Promise<string> {
    return this.#cipher.decrypt(sealed, context);
  }

  /** The key id records are sealed with from now on (the keyring's newest). */
  get primaryKeyId(): string {
    return this.#cipher.primaryKid;
  }

  /** The system database, for the operator's own bookkeeping beside the registry. */
  get db(): Db {
    return this.#db;
  }

  /**
   * Creates the registry's indexes and repairs the subdomain claims of stored records (missing in
   * a registry written before claims existed); safe to call on every start of either half.
   */
  async ensureIndexes(): Promise<void> {
    // Still the guarantee of uniqueness: claims are only the fast way to find a subdomain's record.
    await this.#tenants.createIndex({ subdomain: 1 }, { unique: true, name: 'subdomain_unique' });
    await this.#tenants.createIndex({ cluster: 1 }, { name: 'cluster' });
    await this.#repairClaims();
  }

  // ---- tenants -------------------------------------------------------------------------------

  async get(tenantId: string): Promise<TenantRecord | null> {
    const doc = await this.#tenants.findOne({ _id: tenantId });
    return doc ? this.#decodeTenant(doc) : null;
  }

  async getBySubdomain(subdomain: string): Promise<TenantRecord | null> {
    const doc = await this.#findBySubdomain(subdomain);
    return doc ? this.#decodeTenant(doc) : null;
  }

  /** The stored form, still encrypted, by tenant id or subdomain: for caches outside the process. */
  async findSealed(key: { tenantId: string } | { subdomain: string }): Promise<SealedTenant | null> {
    return 'tenantId' in key
      ? this.#tenants.findOne({ _id: key.tenantId })
      : this.#findBySubdomain(key.subdomain);
  }

  /** Validates and decrypts a sealed record, e.g. one read back from Redis as JSON. */
  async unseal(sealed: SealedTenant): Promise<TenantRecord> {
    return this.#decodeTenant({ ...sealed, updatedAt: new Date(sealed.updatedAt) });
  }

  /**
   * Inserts or replaces a tenant record. Refused with TENANT_ID_TAKEN when the stored record has
   * another owner than the written one (or than `replacingOwner`), with STALE_GENERATION when it
   * comes from a newer generation, and with SUBDOMAIN_TAKEN when another tenant holds the
   * subdomain; in each case nothing is written. Writing the same generation again is allowed
   * (a reconcile that repeats itself converges).
   *
   * Three writes without a transaction (FerretDB v1 has none), ordered so that a crash between
   * any two leaves at most a stale claim: claim the subdomain, write the record, release the
   * subdomain the record held before.
   */
  async put(input: TenantInput | TenantRecord, condition: OwnerCondition = {}): Promise<TenantRecord> {
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
    const owner =
      condition.replacingOwner !== undefined ? condition.replacingOwner : (record.owner?.uid ?? null);
    const stored = await this.#tenants.findOne(
      { _id },
      { projection: { subdomain: 1, generation: 1, owner: 1 } },
    );
    // Refused before claiming anything; the guarded write below still catches a concurrent one.
    if (stored && (stored.owner?.uid ?? null) !== owner) {
      throw new RegistryError('TENANT_ID_TAKEN', { tenantId: record.tenantId });
    }
    if (stored && stored.generation > record.generation) {
      throw new RegistryError('STALE_GENERATION', {
        tenantId: record.tenantId,
        stored: stored.generation,
        given: record.generation,
      });
    }
    await this.#claim(record.subdomain, record.tenantId);
    try {
      await this.#tenants.replaceOne(
        { _id, generation: { $lte: record.generation }, 'owner.uid': owner },
        replacement,
        { upsert: true },
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw await this.#classifyConflict(record, owner, error);
    }
    if (stored && stored.subdomain !== record.subdomain) await this.#release(stored.subdomain, _id);
    return record;
  }

  /**
   * Changes only the status, under the same generation rule as `put`; with `ownerUid`, only a
   * record of that owner (TENANT_ID_TAKEN otherwise).
   */
  async setStatus(
    tenantId: string,
    status: TenantStatus,
    generation: number,
    options: { ownerUid?: string } = {},
  ): Promise<TenantRecord> {
    const current = await this.get(tenantId);
    if (!current) throw new RegistryError('TENANT_NOT_FOUND', { tenantId });
    if (options.ownerUid !== undefined && current.owner?.uid !== options.ownerUid) {
      throw new RegistryError('TENANT_ID_TAKEN', { tenantId });
    }
    if (generation < current.generation) {
      throw new RegistryError('STALE_GENERATION', {
        tenantId,
        stored: current.generation,
        given: generation,
      });
    }
    return this.put({ ...current, status, generation });
  }

  /**
   * Removes a tenant's record, unless it was written from a newer generation than `generation`
   * (or, with `ownerUid`, belongs to another owner), then frees its subdomain (a crash in between
   * leaves a stale claim, which frees it as well).
   */
  async remove(tenantId: string, generation: number, options: { ownerUid?: string } = {}): Promise<boolean> {
    // Whole document back: FerretDB v1 has no projection on findAndModify.
    const removed = await this.#tenants.findOneAndDelete({
      _id: tenantId,
      generation: { $lte: generation },
      ...(options.ownerUid !== undefined ? { 'owner.uid': options.ownerUid } : {}),
    });
    if (removed) {
      await this.#release(removed.subdomain, tenantId);
      return true;
    }
    const stored = await this.#tenants.findOne(
      { _id: tenantId },
      { projection: { generation: 1, owner: 1 } },
    );
    if (stored && options.ownerUid !== undefined && stored.owner?.uid !== options.ownerUid) {
      throw new RegistryError('TENANT_ID_TAKEN', { tenantId });
    }
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

  // ---- the keyring ---------------------------------------------------------------------------

  /**
   * How many records each registry key still seals. Records written before the key id was kept
   * beside them are classified by their ciphertexts' headers.
   */
  async sealingKeys(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const add = (kid: string, n: number) => {
      if (n > 0) counts.set(kid, (counts.get(kid) ?? 0) + n);
    };
    for (const name of [TENANTS, CLUSTERS]) {
      const collection = this.#db.collection<{ sealedWith?: string }>(name);
      for (const kid of this.#cipher.kids) add(kid, await collection.countDocuments({ sealedWith: kid }));
      for await (const doc of collection.find(
        { sealedWith: { $nin: this.#cipher.kids } },
        { projection: { sealedWith: 1, dbURI: 1, signingKeys: 1, apiURI: 1 } },
      )) {
        const sealed = doc as {
          sealedWith?: string;
          dbURI?: string | null;
          signingKeys?: string | null;
          apiURI?: string | null;
        };
        const kid =
          sealed.sealedWith ??
          [sealed.dbURI, sealed.signingKeys, sealed.apiURI]
            .filter((c): c is string => typeof c === 'string')
            .map((c) => this.#cipher.keyIdOf(c) ?? 'unreadable')
            .find((k) => k !== this.#cipher.primaryKid) ??
          this.#cipher.primaryKid;
        add(kid, 1);
      }
    }
    return counts;
  }

  /**
   * Refuses a keyring that lacks a key records are still sealed with: removing a key before every
   * record was re-sealed with the newest would make them unreadable.
   */
  async assertKeyringCovers(): Promise<void> {
    const missing = [...(await this.sealingKeys())].filter(([kid]) => !this.#cipher.kids.includes(kid));
    if (missing.length === 0) return;
    const records = missing.reduce((n, [, count]) => n + count, 0);
    throw new RegistryError('INVALID_KEYRING', {
      reason: `${records} registry record(s) are still sealed with key(s) no longer in the keyring; put them back until the operator has re-sealed every record with the newest key`,
      kids: missing.map(([kid]) => kid).join(','),
      records,
    });
  }

  /**
   * Re-seals up to `limit` records sealed with another key than the primary, each only if it is
   * still as read (a concurrent writer seals with the primary anyway). Returns how many changed.
   */
  async resealBatch(limit: number): Promise<number> {
    const primary = this.#cipher.primaryKid;
    let resealed = 0;
    for (const doc of await this.#tenants
      .find({ sealedWith: { $ne: primary } })
      .limit(limit)
      .toArray()) {
      const context = (field: string) => ({ record: `tenant/${doc._id}`, field });
      const again = async (value: string | null, field: string) =>
        value === null
          ? null
          : this.#cipher.encrypt(await this.#cipher.decrypt(value, context(field)), context(field));
      const [dbURI, signingKeys] = [
        await again(doc.dbURI, 'dbURI'),
        await again(doc.signingKeys, 'signingKeys'),
      ];
      const result = await this.#tenants.updateOne(
        { _id: doc._id, dbURI: doc.dbURI, signingKeys: doc.signingKeys },
        { $set: { dbURI, signingKeys, sealedWith: primary } },
      );
      resealed += result.modifiedCount;
    }
    const left = limit - resealed;
    if (left <= 0) return resealed;
    for (const doc of await this.#clusters
      .find({ sealedWith: { $ne: primary } })
      .limit(left)
      .toArray()) {
      const context = { record: `cluster/${doc._id}`, field: 'apiURI' };
      const apiURI =
        doc.apiURI === null
          ? null
          : await this.#cipher.encrypt(await this.#cipher.decrypt(doc.apiURI, context), context);
      const result = await this.#clusters.updateOne(
        { _id: doc._id, apiURI: doc.apiURI },
        { $set: { apiURI, sealedWith: primary } },
      );
      resealed += result.modifiedCount;
    }
    return resealed;
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
      sealedWith: this.#cipher.primaryKid,
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

  // ---- subdomain claims ----------------------------------------------------------------------

  /** The record a subdomain's claim points to, if that record still holds the subdomain. */
  async #findBySubdomain(subdomain: string): Promise<SealedTenant | null> {
    const claim = await this.#claims.findOne({ _id: subdomain });
    if (!claim) {
      // A registry written before claims existed, not yet repaired by ensureIndexes (an API pod
      // upgraded before the operator): find the record the slow way rather than not at all.
      return (await this.#claimsAreComplete()) ? null : this.#tenants.findOne({ subdomain });
    }
    const doc = await this.#tenants.findOne({ _id: claim.tenantId });
    return doc?.subdomain === subdomain ? doc : null;
  }

  async #claimsAreComplete(): Promise<boolean> {
    if (this.#claimsComplete) return true;
    const now = this.#now().getTime();
    if (now - this.#claimsCheckedAt < CLAIMS_RECHECK_MS) return false;
    this.#claimsCheckedAt = now;
    this.#claimsComplete = (await this.#meta.findOne({ _id: CLAIMS_COMPLETE })) !== null;
    return this.#claimsComplete;
  }

  /**
   * Makes `tenantId` the subdomain's claimant. SUBDOMAIN_TAKEN, with nothing written, when another
   * tenant's record holds it; a stale claim of another tenant is taken over, conditionally on its
   * claimant, so of two writers racing for it one wins and the other re-reads.
   */
  async #claim(subdomain: string, tenantId: string): Promise<void> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const claim = await this.#claims.findOne({ _id: subdomain });
      if (claim?.tenantId === tenantId) return;
      if (!claim) {
        try {
          await this.#claims.insertOne({ _id: subdomain, tenantId, at: this.#now() });
          return;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          continue; // claimed meanwhile: look at who holds it
        }
      }
      const holder = await this.#tenants.findOne({ _id: claim.tenantId }, { projection: { subdomain: 1 } });
      if (holder?.subdomain === subdomain) throw new RegistryError('SUBDOMAIN_TAKEN', { subdomain });
      const inFlight = !holder && claim.at && this.#now().getTime() - claim.at.getTime() < CLAIM_IN_FLIGHT_MS;
      if (inFlight) throw new RegistryError('SUBDOMAIN_TAKEN', { subdomain });
      const taken = await this.#claims.findOneAndUpdate(
        { _id: subdomain, tenantId: claim.tenantId },
        { $set: { tenantId, at: this.#now() } },
      );
      if (taken) return;
    }
    // Writers keep racing for this subdomain: a conflict the caller retries, as in #classifyConflict.
    throw new RegistryError('STALE_GENERATION', { tenantId, subdomain });
  }

  /** Frees a subdomain the tenant no longer holds; a claim another tenant has taken over stays. */
  async #release(subdomain: string, tenantId: string): Promise<void> {
    await this.#claims.deleteOne({ _id: subdomain, tenantId });
  }

  /**
   * One pass over the records' subdomains and the claims: inserts the missing claims and points
   * claims naming the wrong tenant (a crash in a lost race) back at the record that holds the
   * subdomain. Only reads when nothing needs repair (every pod start). Stale claims of no record
   * are left alone: a writer may be between claiming a subdomain and writing its record.
   */
  async #repairClaims(): Promise<void> {
    const claimants = new Map<string, string>();
    for await (const claim of this.#claims.find({})) claimants.set(claim._id, claim.tenantId);
    const missing: SubdomainClaim[] = [];
    const misdirected: Array<SubdomainClaim & { claimant: string }> = [];
    for await (const doc of this.#tenants.find({}, { projection: { subdomain: 1 } })) {
      const claimant = claimants.get(doc.subdomain);
      if (claimant === undefined) missing.push({ _id: doc.subdomain, tenantId: doc._id });
      else if (claimant !== doc._id) misdirected.push({ _id: doc.subdomain, tenantId: doc._id, claimant });
    }
    if (missing.length > 0) {
      try {
        await this.#claims.insertMany(missing, { ordered: false });
      } catch (error) {
        // Another pod starting at the same time inserted some of them first.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    for (const { _id, tenantId, claimant } of misdirected) {
      // Re-read: the record may have left the subdomain since the listing, and another tenant taken it.
      const current = await this.#tenants.findOne({ _id: tenantId }, { projection: { subdomain: 1 } });
      if (current?.subdomain !== _id) continue;
      await this.#claims.updateOne({ _id, tenantId: claimant }, { $set: { tenantId } });
    }
    if (!(await this.#meta.findOne({ _id: CLAIMS_COMPLETE }))) {
      await this.#meta.insertOne({ _id: CLAIMS_COMPLETE, at: this.#now() }).catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
      });
    }
    this.#claimsComplete = true;
  }

  // ---- encoding ------------------------------------------------------------------------------

  async #classifyConflict(
    record: TenantRecord,
    owner: string | null,
    cause: unknown,
  ): Promise<RegistryError> {
    // The unique index, not the claims, is the truth here: read the holder by subdomain.
    const holder = await this.#tenants.findOne({ subdomain: record.subdomain }, { projection: { _id: 1 } });
    if (holder && holder._id !== record.tenantId) {
      // We may have taken the claim over from the holder in a race it won on the record: give it back.
      await this.#claims.updateOne(
        { _id: record.subdomain, tenantId: record.tenantId },
        { $set: { tenantId: holder._id } },
      );
      return new RegistryError('SUBDOMAIN_TAKEN', { subdomain: record.subdomain }, { cause });
    }
    const stored = await this.#tenants.findOne(
      { _id: record.tenantId },
      { projection: { generation: 1, owner: 1 } },
    );
    if (stored && (stored.owner?.uid ?? null) !== owner) {
      return new RegistryError('TENANT_ID_TAKEN', { tenantId: record.tenantId }, { cause });
    }
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
      sealedWith: this.#cipher.primaryKid,
      format: 1,
    };
  }

  async #decodeTenant(doc: SealedTenant): Promise<TenantRecord> {
    const { _id, dbURI, signingKeys, format: _format, sealedWith: _sealedWith, ...rest } = doc;
    const context = (field: string) => ({ record: `tenant/${_id}`, field });
    const keys: unknown =
      signingKeys === null ? [] : JSON.parse(await this.#cipher.decrypt(signingKeys, context('signingKeys')));
    const parsed = TenantRecord.safeParse({
      tenantId: _id,
      ...rest,
      owner: rest.owner ?? null,
      dbURI: dbURI === null ? null : await this.#cipher.decrypt(dbURI, context('dbURI')),
      signingKeys: keys,
    });
    if (!parsed.success)
      throw new RegistryError('INVALID_RECORD', { record: `tenant/${_id}` }, { cause: parsed.error });
    return parsed.data;
  }

  async #decodeCluster(doc: StoredCluster): Promise<ClusterRecord> {
    const { _id, apiURI, format: _format, sealedWith: _sealedWith, ...rest } = doc;
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
