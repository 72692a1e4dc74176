/**
 * The backup format's error catalogue: what a restore or a listing refuses, and why. Messages
 * name the tenant, backup and collection at fault, never key material or document contents.
 */
export const backupErrors = {
  INVALID_BACKUP_ID: 'the backup id is not a DNS label',
  INVALID_KEY: 'a backup key must be 32 bytes with a kid',
  BACKUP_EXISTS: 'a complete backup with this id already exists',
  BACKUP_NOT_FOUND: 'no complete backup with this id (its manifest is missing)',
  MANIFEST_INVALID: 'the manifest does not match the backup format',
  MANIFEST_REJECTED: 'the manifest was not written with this key, or was altered',
  KEY_UNKNOWN: 'the backup was written with a key that was not given',
  WRONG_KEY: 'the key given under this kid is not the key the backup was written with',
  OBJECT_REJECTED: 'the backup object failed authentication: it was altered or is not this backup',
  OBJECT_TRUNCATED: 'the backup object ends before its last chunk',
  OBJECT_MALFORMED: 'the backup object does not follow the backup format',
  CHECKSUM_MISMATCH: 'restored data does not match the checksums in the manifest',
  SCHEMA_TOO_NEW: 'the backup has a newer tenant schema than this Atrium knows',
  COLLECTION_NAME_TOO_LONG: 'a collection name leaves no room for its staging name',
} as const;

export type BackupErrorCode = keyof typeof backupErrors;

export class BackupError extends Error {
  readonly code: BackupErrorCode;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: BackupErrorCode, details: Record<string, string | number> = {}, options?: ErrorOptions) {
    const suffix = Object.entries(details)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    super(suffix ? `${backupErrors[code]} (${suffix})` : backupErrors[code], options);
    this.name = 'BackupError';
    this.code = code;
    this.details = details;
  }
}

export function isBackupError(error: unknown, code?: BackupErrorCode): error is BackupError {
  return error instanceof BackupError && (code === undefined || error.code === code);
}
