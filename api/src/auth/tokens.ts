import { errors, importJWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { SigningKey, TenantRecord } from '../../../contract/src/registry/index.ts';
import { Role } from '../../../contract/src/tenant-db/index.ts';

/** What a verified access token tells: who, in which tenant, with which roles. */
export interface Principal {
  tenantId: string;
  userId: string;
  roles: Role[];
  tokenId: string | undefined;
  issuedAt: number;
  expiresAt: number;
  /**
   * When the session's login checked the password (seconds, with milliseconds): a revocation ends
   * every token of sessions authenticated before it, refreshed or not. `iat` for older tokens.
   */
  authTime: number;
  /** The account must change its password: the token may do nothing else. */
  mustChangePassword: boolean;
}

const AccessClaims = z.object({
  tid: z.string().min(1),
  sub: z.string().min(1),
  roles: z.array(Role).max(3),
  jti: z.string().optional(),
  iat: z.number(),
  exp: z.number(),
  auth_time: z.number().optional(),
  must_change_password: z.literal(true).optional(),
});

export const ISSUER = 'atrium';
const audienceOf = (tenantId: string) => `atrium:tenant:${tenantId}`;

type ImportedKey = Awaited<ReturnType<typeof importJWK>>;
type JwkInput = Parameters<typeof importJWK>[0];
const signing = new WeakMap<SigningKey, Promise<ImportedKey>>();
const verifying = new WeakMap<SigningKey, Promise<ImportedKey>>();

/** Members of a private JWK that the public half leaves out (RFC 7518 §6). */
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);

function cached(map: WeakMap<SigningKey, Promise<ImportedKey>>, key: SigningKey, jwk: JwkInput) {
  let promise = map.get(key);
  if (!promise) {
    promise = importJWK(jwk, key.alg);
    map.set(key, promise);
  }
  return promise;
}

/** Key objects are imported once per registry record (records are replaced, never mutated). */
function signingKey(key: SigningKey): Promise<ImportedKey> {
  return cached(signing, key, key.jwk as JwkInput);
}

/** Asymmetric keys verify with their public half only; a shared secret (oct) is both. */
function verificationKey(key: SigningKey): Promise<ImportedKey> {
  const jwk = key.jwk as Record<string, unknown>;
  const publicJwk =
    jwk.kty === 'oct'
      ? jwk
      : Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.has(k)));
  return cached(verifying, key, publicJwk as JwkInput);
}

export type TokenFailure = 'invalid' | 'expired' | 'wrong-tenant';

export class TokenRejected extends Error {
  constructor(readonly reason: TokenFailure) {
    super(`access token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

/**
 * The tenant a token claims, read without verification: only to find whose key to verify it with.
 * Returns undefined for anything that is not a well-formed JWT with a string `tid`.
 */
export function claimedTenant(token: string): string | undefined {
  const [, payload] = token.split('.');
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims.tid === 'string' && claims.tid.length <= 63 ? claims.tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an access token with the keys of `tenant` only. The algorithm is the one the key was
 * made for, the audience names the tenant, and the `tid` claim must match: a token of tenant A
 * fails here for tenant B however it arrived.
 */
export async function verifyAccessToken(token: string, tenant: TenantRecord, now: Date): Promise<Principal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header) => {
        const key = tenant.signingKeys.find((k) => k.kid === header.kid && k.alg === header.alg);
        if (!key) throw new TokenRejected('wrong-tenant');
        return verificationKey(key);
      },
      {
        issuer: ISSUER,
        audience: audienceOf(tenant.tenantId),
        algorithms: [...new Set(tenant.signingKeys.map((k) => k.alg))],
        currentDate: now,
      },
    ));
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenRejected('expired');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
      throw new TokenRejected('wrong-tenant');
    }
    throw new TokenRejected('invalid');
  }
  const claims = AccessClaims.safeParse(payload);
  if (!claims.success) throw new TokenRejected('invalid');
  if (claims.data.tid !== tenant.tenantId) throw new TokenRejected('wrong-tenant');
  return {
    tenantId: claims.data.tid,
    userId: claims.data.sub,
    roles: claims.data.roles,
    tokenId: claims.data.jti,
    issuedAt: claims.data.iat,
    expiresAt: claims.data.exp,
    authTime: claims.data.auth_time ?? claims.data.iat,
    mustChangePassword: claims.data.must_change_password === true,
  };
}

/** Who a token is for. `authTime` (ms) defaults to the issue time; `mustChangePassword` to false. */
export interface TokenSubject {
  userId: string;
  roles: Role[];
  tokenId?: string;
  authTime?: number;
  mustChangePassword?: boolean;
}

/** Signs an access token with the tenant's newest key. */
export async function signAccessToken(
  tenant: TenantRecord,
  subject: TokenSubject,
  options: { ttlSeconds?: number; now: Date },
): Promise<string> {
  const key = tenant.signingKeys.at(-1);
  if (!key) throw new Error(`tenant ${tenant.tenantId} has no signing key`);
  const issuedAt = Math.floor(options.now.getTime() / 1000);
  const jwt = new SignJWT({
    tid: tenant.tenantId,
    roles: subject.roles,
    auth_time: (subject.authTime ?? options.now.getTime()) / 1000,
    ...(subject.mustChangePassword ? { must_change_password: true } : {}),
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(tenant.tenantId))
    .setSubject(subject.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 900));
  if (subject.tokenId) jwt.setJti(subject.tokenId);
  return jwt.sign(await signingKey(key));
}
