import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DnsLabel, TenantId } from '../registry/schema.ts';
import { type BackupIdentity, type BackupKey, deriveKey, ENCRYPTION_ALGORITHM } from './encryption.ts';
import { BackupError } from './errors.ts';

/**
 * A backup's manifest: what the backup holds and how to check it. Written last, after the data
 * object is complete, so a backup without one is never restorable. It is plain JSON (a listing
 * reads it without the key) and authenticated by an HMAC under a key derived from the backup key,
 * so counts, checksums and index specs cannot be changed unnoticed by whoever can write the bucket.
 */
export const BACKUP_FORMAT = 'atrium-backup/v1';

export const BackupId = DnsLabel.describe('Backup identifier, unique per tenant');

/** An index as listIndexes describes it: its key in field order, and its options (extended JSON). */
export const IndexSpec = z.strictObject({
  name: z.string(),
  key: z.array(z.tuple([z.string(), z.union([z.number(), z.string()])])),
  options: z.record(z.string(), z.unknown()),
});
export type IndexSpec = z.infer<typeof IndexSpec>;

export const CollectionEntry = z.strictObject({
  name: z.string().min(1),
  /** listCollections options (capped, validator, …) in extended JSON; usually empty. */
  options: z.record(z.string(), z.unknown()),
  documents: z.number().int().nonnegative(),
  /** Total BSON bytes of the documents. */
  bytes: z.number().int().nonnegative(),
  /** SHA-256 (hex) of the documents' BSON, as the server returns it, in `_id` order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  indexes: z.array(IndexSpec),
});
export type CollectionEntry = z.infer<typeof CollectionEntry>;

export const BackupManifest = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  tenantId: TenantId,
  backupId: BackupId,
  /** The database the dump was read from (a restore may target another). */
  database: z.string(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  atriumVersion: z.string(),
  /** The tenant-db schema version recorded in the dumped database (contract/src/tenant-db). */
  schemaVersion: z.number().int().nonnegative(),
  /** How the data object was made: gzip, then chunked AES-256-GCM under `kid`. */
  compression: z.literal('gzip'),
  encryption: z.strictObject({
    algorithm: z.literal(ENCRYPTION_ALGORITHM),
    kid: z.string(),
    /** Tells a wrong key from an altered backup (an HMAC of a constant, truncated). */
    keyCheck: z.string(),
    /** Salt of the manifest's HMAC key. */
    salt: z.string(),
  }),
  object: z.strictObject({
    /** Relative to the backup's folder. */
    path: z.string(),
    /** Stored (encrypted) bytes, and their SHA-256 (hex). */
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Bytes of the dump before compression. */
    plaintextBytes: z.number().int().nonnegative(),
  }),
  collections: z.array(CollectionEntry),
  totals: z.strictObject({
    collections: z.number().int().nonnegative(),
    documents: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  }),
  /**
   * Course media objects are not copied into a backup: attachment metadata lives in the tenant
   * database and is included; the objects stay where they are (docs/backups.md).
   */
  media: z.strictObject({ objectsIncluded: z.literal(false) }),
  /** HMAC-SHA256 (base64url) over the canonical JSON of every other field. */
  mac: z.string(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
export type UnsignedManifest = Omit<BackupManifest, 'mac'>;

/** JSON with object keys sorted at every level: the bytes the MAC covers. Arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function manifestMac(manifest: UnsignedManifest, key: BackupKey): string {
  const id: BackupIdentity = { tenantId: manifest.tenantId, backupId: manifest.backupId };
  const macKey = deriveKey(key, 'manifest', id, Buffer.from(manifest.encryption.salt, 'base64'));
  return createHmac('sha256', macKey).update(canonicalJson(manifest)).digest('base64url');
}

export function signManifest(manifest: UnsignedManifest, key: BackupKey): BackupManifest {
  return { ...manifest, mac: manifestMac(manifest, key) };
}

/** Throws MANIFEST_REJECTED unless the manifest's MAC is right under `key`. */
export function verifyManifest(manifest: BackupManifest, key: BackupKey): void {
  const { mac, ...unsigned } = manifest;
  const expected = Buffer.from(manifestMac(unsigned, key));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new BackupError('MANIFEST_REJECTED', { tenant: manifest.tenantId, backup: manifest.backupId });
  }
}

/** Parses a stored manifest; MANIFEST_INVALID when it is not one, or not the one for `id`. */
export function parseManifest(text: string, id: BackupIdentity): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new BackupError('MANIFEST_INVALID', { tenant: id.tenantId, backup: id.backupId }, { cause });
  }
  const parsed = BackupManifest.safeParse(json);
  if (!parsed.success) {
    throw new BackupError(
      'MANIFEST_INVALID',
      { tenant: id.tenantId, backup: id.backupId, reason: parsed.error.issues[0]?.message ?? 'schema' },
      { cause: parsed.error },
    );
  }
  if (parsed.data.tenantId !== id.tenantId || parsed.data.backupId !== id.backupId) {
    throw new BackupError('MANIFEST_INVALID', {
      tenant: id.tenantId,
      backup: id.backupId,
      reason: 'written for another backup',
    });
  }
  return parsed.data;
}

/** Where a backup's objects live, relative to the tenant's root. */
export const backupPaths = {
  folder: 'backups/',
  data: (backupId: string) => `backups/${backupId}/data.atb`,
  manifest: (backupId: string) => `backups/${backupId}/manifest.json`,
  prefix: (backupId: string) => `backups/${backupId}/`,
} as const;
