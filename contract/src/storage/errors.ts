/**
 * The object store's error catalogue. Messages name the tenant and the relative key at fault,
 * never a credential or an endpoint's secret.
 */
export const storageErrors = {
  INVALID_CONFIG: 'the object storage configuration is unusable',
  INVALID_TENANT_ID: 'the tenant id cannot name an object prefix',
  KEY_OUTSIDE_TENANT: "the key is not a plain path under the tenant's own prefix",
  OBJECT_NOT_FOUND: 'no object with this key',
} as const;

export type StorageErrorCode = keyof typeof storageErrors;

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: StorageErrorCode, details: Record<string, string | number> = {}, options?: ErrorOptions) {
    const suffix = Object.entries(details)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    super(suffix ? `${storageErrors[code]} (${suffix})` : storageErrors[code], options);
    this.name = 'StorageError';
    this.code = code;
    this.details = details;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
