import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { RegistryError } from './errors.ts';

/**
 * Encryption at rest for the registry's secret fields: JWE compact serialisation, `dir` key
 * management with A256GCM, the key id in the protected header. Writes use the primary key; reads
 * accept every key in the ring, so keys rotate by adding a new one, re-writing, then retiring the old.
 *
 * The protected header also names the record and field the ciphertext belongs to. It is
 * authenticated, so a ciphertext copied from one tenant's record into another's is rejected.
 */

export interface RegistryKey {
  readonly kid: string;
  readonly key: Uint8Array;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;

export class Keyring {
  readonly primary: RegistryKey;
  readonly #byKid: ReadonlyMap<string, RegistryKey>;

  /** The primary (write) key is `primaryKid`, or else the greatest kid: name kids by date to rotate. */
  constructor(keys: RegistryKey[], primaryKid?: string) {
    if (keys.length === 0) throw new RegistryError('INVALID_KEYRING', { reason: 'no keys' });
    const byKid = new Map<string, RegistryKey>();
    for (const k of keys) {
      if (!KID.test(k.kid)) throw new RegistryError('INVALID_KEYRING', { reason: 'bad kid', kid: k.kid });
      if (k.key.byteLength !== 32) {
        throw new RegistryError('INVALID_KEYRING', { reason: 'key must be 32 bytes', kid: k.kid });
      }
      if (byKid.has(k.kid))
        throw new RegistryError('INVALID_KEYRING', { reason: 'duplicate kid', kid: k.kid });
      byKid.set(k.kid, k);
    }
    const kid = primaryKid ?? [...byKid.keys()].sort().at(-1);
    const primary = kid === undefined ? undefined : byKid.get(kid);
    if (!primary)
      throw new RegistryError('INVALID_KEYRING', { reason: 'primary kid not in ring', kid: String(kid) });
    this.primary = primary;
    this.#byKid = byKid;
  }

  get(kid: string): RegistryKey | undefined {
    return this.#byKid.get(kid);
  }

  get kids(): string[] {
    return [...this.#byKid.keys()];
  }

  /**
   * `kid=base64key,kid=base64key[;primary=kid]`, the form of the ATRIUM_REGISTRY_KEYS variable.
   * Keys are 32 random bytes in standard or URL-safe base64 (`openssl rand -base64 32`).
   */
  static parse(text: string): Keyring {
    const [list = '', ...options] = text.split(';');
    const keys = list
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf('=');
        if (at <= 0) throw new RegistryError('INVALID_KEYRING', { reason: 'entries are kid=base64key' });
        return { kid: entry.slice(0, at), key: decodeKey(entry.slice(at + 1)) };
      });
    const primary = options.map((o) => o.trim().split('=')).find(([name]) => name === 'primary')?.[1];
    return new Keyring(keys, primary);
  }

  /** A mounted Secret: one file per key, named by its kid; an optional `primary` file names the write key. */
  static fromDirectory(dir: string): Keyring {
    const files = readdirSync(dir).filter((name) => !name.startsWith('.'));
    const primary = files.includes('primary') ? readFileSync(join(dir, 'primary'), 'utf8').trim() : undefined;
    const keys = files
      .filter((name) => name !== 'primary')
      .map((kid) => ({ kid, key: decodeKey(readFileSync(join(dir, kid), 'utf8').trim()) }));
    return new Keyring(keys, primary);
  }
}

function decodeKey(text: string): Uint8Array {
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return new Uint8Array(bytes);
}

/** Where a ciphertext belongs: authenticated in the JWE header. */
export interface CipherContext {
  /** e.g. `tenant/acme` or `cluster/eu-1` */
  readonly record: string;
  readonly field: string;
}

export class RegistryCipher {
  readonly #keyring: Keyring;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  async encrypt(plaintext: string, context: CipherContext): Promise<string> {
    const { kid, key } = this.#keyring.primary;
    return new CompactEncrypt(this.#encoder.encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid, rec: context.record, fld: context.field })
      .encrypt(key);
  }

  async decrypt(jwe: string, context: CipherContext): Promise<string> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jwe).kid;
    } catch (cause) {
      throw new RegistryError('CIPHER_REJECTED', { ...context, reason: 'not a JWE' }, { cause });
    }
    const key = kid === undefined ? undefined : this.#keyring.get(kid);
    if (!key) throw new RegistryError('CIPHER_REJECTED', { ...context, reason: 'unknown key id' });
    let result: Awaited<ReturnType<typeof compactDecrypt>>;
    try {
      result = await compactDecrypt(jwe, key.key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
    } catch (cause) {
      throw new RegistryError('CIPHER_REJECTED', { ...context, reason: 'authentication failed' }, { cause });
    }
    const header = result.protectedHeader as { rec?: unknown; fld?: unknown };
    if (header.rec !== context.record || header.fld !== context.field) {
      throw new RegistryError('CIPHER_REJECTED', {
        ...context,
        reason: 'ciphertext belongs to another record',
      });
    }
    return this.#decoder.decode(result.plaintext);
  }

  /** The key a ciphertext was sealed with (undefined: not a JWE). */
  keyIdOf(jwe: string): string | undefined {
    try {
      return decodeProtectedHeader(jwe).kid;
    } catch {
      return undefined;
    }
  }

  /** The key id new ciphertexts are sealed with. */
  get primaryKid(): string {
    return this.#keyring.primary.kid;
  }

  /** Every key id of the ring. */
  get kids(): string[] {
    return this.#keyring.kids;
  }
}
