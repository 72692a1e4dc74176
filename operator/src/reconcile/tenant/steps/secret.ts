import { applyObject } from '../../../kube/clients.ts';
import { desiredConnectionSecret, secretMatches } from '../../../provisioning/connection-secret.ts';
import { connectionSecretNameFor } from '../../../provisioning/names.ts';
import type { Tenant } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import type { TenantScope } from '../scope.ts';
import type { DatabaseCredentials } from './user.ts';

/** The name of the connection Secret: spec.connectionSecret.name, or `<tenant>-db`. */
export function connectionSecretOf(tenant: Tenant): string {
  return tenant.spec.connectionSecret.name ?? connectionSecretNameFor(tenant.metadata.name);
}

/** A Secret of that name exists and is not this Tenant's to write (see TenantScope.ownedSecret). */
export function secretNotOwned(
  name: string,
  condition: ConditionType = ConditionType.SecretReady,
): StepFailure {
  return new StepFailure(
    condition,
    Reason.SecretNotOwned,
    `Secret ${name} exists and was not created by the operator for this Tenant; choose another spec.connectionSecret.name or remove it`,
    { stalled: true },
  );
}

/** The connection Secret carries the tenant's current URI and credentials; rewritten if it drifted. */
export async function ensureConnectionSecret(
  scope: TenantScope,
  tenant: Tenant,
  database: string,
  credentials: DatabaseCredentials,
): Promise<StepOutcome> {
  const name = connectionSecretOf(tenant);
  try {
    const found = await scope.ownedSecret(name);
    if ('notOwned' in found) throw secretNotOwned(name);
    const desired = desiredConnectionSecret(tenant, name, { ...credentials, database });
    if (!secretMatches(found.secret, desired)) {
      await applyObject(scope.deps.kube, desired);
      const verb = found.secret ? 'updated' : 'created';
      scope.note(`Secret${verb[0]?.toUpperCase()}${verb.slice(1)}`, `${verb} connection Secret ${name}`);
    }
    return {
      condition: {
        type: ConditionType.SecretReady,
        status: 'True',
        reason: Reason.SecretCurrent,
        message: `connection Secret ${name} is current`,
      },
    };
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw new StepFailure(
      ConditionType.SecretReady,
      Reason.SecretWriteFailed,
      `connection Secret ${name}: ${safeMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}
