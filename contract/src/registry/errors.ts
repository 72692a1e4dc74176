/**
 * The registry's error catalogue. Every failure a caller is expected to handle has a stable code;
 * messages name the tenant or field at fault and never carry a URI, a key or a ciphertext.
 */
export const registryErrors = {
  SUBDOMAIN_TAKEN: 'the subdomain is already used by another tenant',
  TENANT_ID_TAKEN: 'the tenant id is owned by another Tenant object',
  STALE_GENERATION: 'the record was written from an older generation than the one stored',
  TENANT_NOT_FOUND: 'no tenant with this id is registered',
  CLUSTER_NOT_FOUND: 'no cluster with this name is registered',
  INVALID_RECORD: 'the record does not match the registry schema',
  CIPHER_REJECTED: 'an encrypted field could not be decrypted with the registry keys',
  INVALID_KEYRING: 'the registry keyring is unusable',
  INVALID_MESSAGE: 'an invalidation message does not match the channel schema',
} as const;

export type RegistryErrorCode = keyof typeof registryErrors;

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(
    code: RegistryErrorCode,
    details: Record<string, string | number> = {},
    options?: ErrorOptions,
  ) {
    const suffix = Object.entries(details)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    super(suffix ? `${registryErrors[code]} (${suffix})` : registryErrors[code], options);
    this.name = 'RegistryError';
    this.code = code;
    this.details = details;
  }
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
