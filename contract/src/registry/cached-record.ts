import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Keyring } from './cipher.ts';
import type { SealedTenant } from './repository.ts';

/**
 * Copies of registry records kept outside the registry (the API's Redis layer) are authenticated
 * as a whole, so a client that can write to that cache cannot make a pod serve what the registry
 * never said: point a tenant at another tenant's database, revive a suspended tenant, pass one
 * tenant's record off as another's, or hide a tenant behind a forged "no such tenant". Only `dbURI`
 * and the signing keys are encrypted in a sealed record; this covers every field.
 *
 * An entry is `{v, kid, key, tid, gen, exp, rec, mac}`: the look-up key it answers (`id:<tenantId>`
 * or `sub:<subdomain>`), the tenant id and registry generation of the record (null for "missing"),
 * when it stops being valid, the sealed record as JSON (or null), and an HMAC-SHA256 over all of
 * them with a key derived (HKDF) from registry key `kid`. Writers use the primary key; readers
 * accept any key of the ring, so the MAC rotates with the registry keys. A copy can be replayed at
 * most until its `exp`, and only under the key it was written for.
 */

const VERSION = 1;
const KEY = /^(id|sub):[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

interface Envelope {
  v: typeof VERSION;
  kid: string;
  key: string;
  tid: string | null;
  gen: number | null;
  exp: number;
  rec: string | null;
  mac: string;
}

/** Why an entry was not trusted: a closed set, fit for a metric label. */
export type CachedEntryRejection = 'malformed' | 'unknown-key' | 'forged' | 'mismatch' | 'expired';

export type OpenedCacheEntry =
  | { ok: true; record: SealedTenant | null }
  | { ok: false; reason: CachedEntryRejection };

export class CachedRecordSealer {
  readonly #keyring: Keyring;
  readonly #macKeys = new Map<string, Buffer>();

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** The entry to store under `key` for `record` (null: no tenant by that key), valid until `expiresAt` (ms). */
  seal(key: string, record: SealedTenant | null, expiresAt: number): string {
    const kid = this.#keyring.primary.kid;
    const fields = {
      v: VERSION,
      kid,
      key,
      tid: record?._id ?? null,
      gen: record?.generation ?? null,
      exp: Math.floor(expiresAt),
      rec: record === null ? null : JSON.stringify(record),
    } as const;
    return JSON.stringify({ ...fields, mac: this.#mac(kid, fields) } satisfies Envelope);
  }

  /** Verifies an entry read under `key` at `now` (ms) and returns its record, or why it is not trusted. */
  open(key: string, text: string, now: number): OpenedCacheEntry {
    const envelope = parseEnvelope(text);
    if (!envelope) return { ok: false, reason: 'malformed' };
    if (!this.#keyring.get(envelope.kid)) return { ok: false, reason: 'unknown-key' };
    const expected = Buffer.from(this.#mac(envelope.kid, envelope), 'base64url');
    const given = Buffer.from(envelope.mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'forged' };
    }
    // Authentic: written by a holder of the registry key. Still, it must answer this key.
    if (envelope.key !== key) return { ok: false, reason: 'mismatch' };
    if (envelope.exp <= now) return { ok: false, reason: 'expired' };
    if (envelope.rec === null) {
      return envelope.tid === null ? { ok: true, record: null } : { ok: false, reason: 'mismatch' };
    }
    let record: SealedTenant;
    try {
      record = JSON.parse(envelope.rec) as SealedTenant;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const answers = key === `id:${record._id}` || key === `sub:${record.subdomain}`;
    if (record._id !== envelope.tid || record.generation !== envelope.gen || !answers) {
      return { ok: false, reason: 'mismatch' };
    }
    return { ok: true, record };
  }

  #mac(kid: string, fields: Omit<Envelope, 'mac'>): string {
    let macKey = this.#macKeys.get(kid);
    if (!macKey) {
      const registryKey = this.#keyring.get(kid);
      if (!registryKey) throw new Error(`no registry key ${kid}`);
      // A key of its own for this purpose: the registry key itself only ever encrypts.
      macKey = Buffer.from(hkdfSync('sha256', registryKey.key, 'atrium', 'atrium/tenant-cache-mac/v1', 32));
      this.#macKeys.set(kid, macKey);
    }
    // A JSON array: every field delimited, so no two entries authenticate the same bytes.
    const message = JSON.stringify([
      'atrium/tenant-cache/v1',
      fields.v,
      kid,
      fields.key,
      fields.tid,
      fields.gen,
      fields.exp,
      fields.rec,
    ]);
    return createHmac('sha256', macKey).update(message).digest('base64url');
  }
}

function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const e = value as Partial<Envelope> | null;
  if (
    !e ||
    typeof e !== 'object' ||
    e.v !== VERSION ||
    typeof e.kid !== 'string' ||
    typeof e.key !== 'string' ||
    !KEY.test(e.key) ||
    !(typeof e.tid === 'string' || e.tid === null) ||
    !(Number.isInteger(e.gen) || e.gen === null) ||
    !Number.isInteger(e.exp) ||
    !(typeof e.rec === 'string' || e.rec === null) ||
    typeof e.mac !== 'string'
  ) {
    return undefined;
  }
  return e as Envelope;
}
