import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing for tenant accounts: scrypt, in a self-describing string
 * `scrypt$N=…,r=…,p=…$<salt b64url>$<hash b64url>`, so parameters can be raised later and old
 * hashes still verify.
 */
export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

/**
 * The only parameter sets a stored hash may name: the ones Atrium writes. A hash is read from the
 * tenant database, and whoever can write there must not be able to make every pod that verifies it
 * allocate gigabytes (memory is 128·N·r bytes): anything else is refused without being computed.
 * To raise the cost, add the new set here and deploy everywhere first, then make it the default.
 */
export const ACCEPTED_SCRYPT: readonly ScryptParameters[] = [DEFAULT_SCRYPT];
const KEY_LENGTH = 32;
const SALT_BYTES = { min: 16, max: 64 };

function derive(password: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(
  password: string,
  params: ScryptParameters = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const FORMAT = /^scrypt\$N=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3})\$([\w-]{1,128})\$([\w-]{1,128})$/;
const DECOY_SALT = randomBytes(SALT_BYTES.min);

const accepted = (params: ScryptParameters) =>
  ACCEPTED_SCRYPT.some((a) => a.N === params.N && a.r === params.r && a.p === params.p);

/**
 * Whether `password` matches `encoded`; false (never a throw) for a malformed hash or one whose
 * parameters are not in ACCEPTED_SCRYPT. Those cost one default derivation all the same, so the
 * answer takes as long as a wrong password.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = FORMAT.exec(encoded);
  const [, N, r, p, salt = '', hash = ''] = match ?? [];
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  const saltBytes = Buffer.from(salt, 'base64url');
  const expected = Buffer.from(hash, 'base64url');
  if (
    !match ||
    !accepted(params) ||
    saltBytes.length < SALT_BYTES.min ||
    saltBytes.length > SALT_BYTES.max ||
    expected.length !== KEY_LENGTH
  ) {
    await derive(password, DECOY_SALT, DEFAULT_SCRYPT);
    return false;
  }
  const actual = await derive(password, saltBytes, params);
  return timingSafeEqual(actual, expected);
}

/** A password for a machine or a first login: 24 random bytes, URL-safe. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}
