import type { TenantObjectStore } from '../storage/object-store.ts';
import { isBackupError } from './errors.ts';
import { BackupId, type BackupManifest, backupPaths } from './manifest.ts';
import { readManifest } from './restore.ts';

export interface BackupListing {
  /** Complete backups (a manifest present and valid), oldest first. */
  readonly restorable: readonly BackupManifest[];
  /** Backup folders without a valid manifest: failed or unfinished attempts, never restorable. */
  readonly incomplete: readonly string[];
}

/**
 * The tenant's backups. Only those with a manifest that parses are restorable; the manifest is
 * written last, so a backup that failed or is still being written is listed as incomplete (for
 * the operator to clean up), never as restorable. The manifest's MAC is checked by a restore,
 * which has the key; a listing needs none.
 */
export async function listBackups(store: TenantObjectStore): Promise<BackupListing> {
  const restorable: BackupManifest[] = [];
  const incomplete: string[] = [];
  for (const backupId of await store.list(backupPaths.folder, { folders: true })) {
    if (!BackupId.safeParse(backupId).success) continue;
    try {
      restorable.push(await readManifest(store, backupId));
    } catch (error) {
      if (!isBackupError(error, 'BACKUP_NOT_FOUND') && !isBackupError(error, 'MANIFEST_INVALID')) throw error;
      incomplete.push(backupId);
    }
  }
  restorable.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return { restorable, incomplete };
}
