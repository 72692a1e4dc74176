export {
  compareDatabase,
  type DatabaseDifference,
  digestCollection,
  listDumpableCollections,
  STAGING_PREFIX,
} from './database.ts';
export { type BackupKey, DEFAULT_CHUNK_BYTES, ENCRYPTION_ALGORITHM } from './encryption.ts';
export { BackupError, type BackupErrorCode, backupErrors, isBackupError } from './errors.ts';
export { type BackupListing, listBackups } from './list.ts';
export {
  BACKUP_FORMAT,
  BackupId,
  BackupManifest,
  backupPaths,
  CollectionEntry,
  IndexSpec,
} from './manifest.ts';
export { type RestoreBackupOptions, type RestoreResult, readManifest, restoreBackup } from './restore.ts';
export { readAtriumVersion } from './version.ts';
export { type WriteBackupOptions, writeBackup } from './write.ts';
