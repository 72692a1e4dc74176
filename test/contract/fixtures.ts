import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Keyring, RegistryCipher, TenantRegistry } from '../../contract/src/registry/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';

export function randomKeyring(...kids: string[]): Keyring {
  return new Keyring(kids.map((kid) => ({ kid, key: new Uint8Array(randomBytes(32)) })));
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
