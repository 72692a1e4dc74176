export { isStorageError, StorageError, type StorageErrorCode, storageErrors } from './errors.ts';
export {
  ObjectStorage,
  type ObjectStorageConfig,
  TenantObjectStore,
  type UploadOptions,
} from './object-store.ts';
