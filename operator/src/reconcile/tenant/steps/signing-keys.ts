import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SigningKey } from '../../../../../contract/src/registry/index.ts';
import type { ProvisioningRecord, SigningKeyState } from '../../../provisioning/provisioning-records.ts';
import { durationMs, ROTATE_SIGNING_KEY_ANNOTATION, type Tenant } from '../../../resources/tenant.ts';
import type { TenantScope } from '../scope.ts';

/**
 * Rotating a tenant's token-signing keys. New access tokens are signed with the newest key of the
 * registry record at once; tokens signed with an older key keep verifying until they have expired
 * (SIGNING_KEY_OVERLAP_MS, longer than the access-token lifetime), then the older keys leave the
 * record. A rotation asked with a value starting with `revoke-previous` (a key that leaked) drops
 * the older keys at once, and with them every token they signed. Refresh tokens are not signed:
 * their sessions go on.
 *
 * What the rotation decided is recorded in the provisioning record first; the registry step then
 * makes the record's keys say so, so a crash between the two neither loses the rotation nor adds a
 * second key.
 */
export const DEFAULT_SIGNING_KEY_OVERLAP_MS = 20 * 60_000;
const REVOKE_PREVIOUS = 'revoke-previous';

const INITIAL: SigningKeyState = { rotatedAt: null, handledRequest: null, retireAt: null };

export function signingKeysOf(record: ProvisioningRecord): SigningKeyState {
  return record.signingKeys ?? INITIAL;
}

/** Records a rotation that is asked for or due. Returns the record as it now is. */
export async function advanceSigningKeys(
  scope: TenantScope,
  tenant: Tenant,
  record: ProvisioningRecord,
): Promise<ProvisioningRecord> {
  const state = signingKeysOf(record);
  const now = scope.clock.now();
  const request = tenant.metadata.annotations?.[ROTATE_SIGNING_KEY_ANNOTATION];
  const asked = request !== undefined && request !== '' && request !== state.handledRequest;
  const every = tenant.spec.signingKeys?.rotateAfter;
  const scheduled =
    every !== undefined && now - (state.rotatedAt ?? record.claimedAt).getTime() >= durationMs(every);
  if (!asked && !scheduled) return record;
  const revoke = asked && (request ?? '').startsWith(REVOKE_PREVIOUS);
  const overlap = scope.deps.signingKeyOverlapMs ?? DEFAULT_SIGNING_KEY_OVERLAP_MS;
  const updated = await scope.deps.provisioning.setSigningKeys(record._id, scope.owner.uid, {
    rotatedAt: new Date(now),
    handledRequest: asked ? (request ?? null) : state.handledRequest,
    retireAt: new Date(revoke ? now : now + overlap),
  });
  await scope.event(
    revoke ? 'Warning' : 'Normal',
    'SigningKeyRotated',
    revoke
      ? 'a new signing key; the previous ones are revoked at once, with every token they signed'
      : `a new signing key; tokens signed with the previous one verify until ${new Date(now + overlap).toISOString()}`,
  );
  return updated;
}

/**
 * The keys the registry record must hold: the stored ones, a new one if the last rotation has not
 * added it yet, and only the newest once the older ones are due to retire. Pure but for the key
 * generation.
 */
export function desiredSigningKeys(
  stored: readonly SigningKey[],
  state: SigningKeyState,
  now: Date,
): SigningKey[] {
  let keys = [...stored];
  const newest = keys.at(-1);
  const rotatedAt = state.rotatedAt;
  if (!newest || (rotatedAt !== null && newest.createdAt.getTime() < rotatedAt.getTime())) {
    keys.push(newSigningKey(rotatedAt ?? now));
  }
  if (state.retireAt !== null && now.getTime() >= state.retireAt.getTime()) keys = keys.slice(-1);
  return keys;
}

/** When the older keys are due to retire, from now (null: nothing to retire). */
export function retireInMs(keys: readonly SigningKey[], state: SigningKeyState, now: number): number | null {
  if (state.retireAt === null || keys.length < 2) return null;
  return Math.max(0, state.retireAt.getTime() - now);
}

function newSigningKey(createdAt: Date): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { kid: `k-${randomBytes(6).toString('hex')}`, alg: 'EdDSA', jwk, createdAt };
}
