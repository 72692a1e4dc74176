export { type CachedEntryRejection, CachedRecordSealer, type OpenedCacheEntry } from './cached-record.ts';
export { type CipherContext, Keyring, RegistryCipher, type RegistryKey } from './cipher.ts';
export { isRegistryError, RegistryError, type RegistryErrorCode, registryErrors } from './errors.ts';
export {
  decodeInvalidation,
  encodeInvalidation,
  INVALIDATION_CHANNEL,
  InvalidationMessage,
  type InvalidationSubscription,
  publishInvalidation,
  subscribeInvalidations,
} from './invalidation.ts';
export {
  type ListOptions,
  type OwnerCondition,
  type RegistryOptions,
  type SealedTenant,
  TenantRegistry,
} from './repository.ts';
export * from './schema.ts';
