export {
  ACCOUNTS_COLLECTION,
  AccountRecord,
  AccountStatus,
  findAccountByEmail,
  normaliseEmail,
  Role,
  type SeedAdminInput,
  seedAdmin,
  withAccountDefaults,
} from './accounts.ts';
export {
  createIdempotencyKeyIndexes,
  IDEMPOTENCY_KEYS_COLLECTION,
  IdempotencyKeyRecord,
  IdempotencyKeyState,
} from './idempotency-keys.ts';
export {
  applyMigrations,
  LATEST_SCHEMA_VERSION,
  type Migration,
  type MigrationResult,
  migrations,
  readSchemaVersion,
  SCHEMA_COLLECTION,
  type SchemaVersionRecord,
} from './migrations.ts';
export {
  ACCEPTED_SCRYPT,
  DEFAULT_SCRYPT,
  generatePassword,
  hashPassword,
  type ScryptParameters,
  verifyPassword,
} from './passwords.ts';
