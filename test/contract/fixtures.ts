import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  Keyring,
  RegistryCipher,
  type SigningKey,
  type TenantInput,
  TenantRegistry,
} from '../../contract/src/registry/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';

export function randomKeyring(...kids: string[]): Keyring {
  return new Keyring(kids.map((kid) => ({ kid, key: new Uint8Array(randomBytes(32)) })));
}

/** A fresh HS256 signing key, as a tenant record carries it. */
export function hs256SigningKey(kid: string, createdAt = new Date()): SigningKey {
  return { kid, alg: 'HS256', jwk: { kty: 'oct', k: randomBytes(32).toString('base64url') }, createdAt };
}

export function tenantInput(overrides: Partial<TenantInput> = {}): TenantInput {
  const tenantId = overrides.tenantId ?? uniqueName('t').replace('_', '-');
  return {
    tenantId,
    subdomain: tenantId,
    displayName: `Tenant ${tenantId}`,
    plan: 'standard',
    isolation: 'shared',
    status: 'active',
    cluster: 'cluster-a',
    database: `tenant_${tenantId.replace(/-/g, '_')}`,
    dbURI: `mongodb://u_${tenantId}:s3cr3t-${tenantId}@127.0.0.1:27017/tenant?authSource=admin`,
    signingKeys: [hs256SigningKey('sig-1', new Date(0))],
    generation: 1,
    ...overrides,
  };
}

/** A registry on its own system database of the first test cluster, dropped by `close`. */
export async function openRegistry(keyring = randomKeyring('2026-01')) {
  const client = new MongoClient(testServers.mongoUris()[0] ?? '');
  const db = client.db(uniqueName('system'));
  const registry = new TenantRegistry({ db, cipher: new RegistryCipher(keyring) });
  await registry.ensureIndexes();
  return {
    client,
    db,
    registry,
    /** Another registry over the same database with a different keyring (a pod after rotation). */
    withKeyring: (other: Keyring) => new TenantRegistry({ db, cipher: new RegistryCipher(other) }),
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
}
