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

/** The connection Secret carries the tenant's current URI and credentials; rewritten if it drifted. */
export async function ensureConnectionSecret(
  scope: TenantScope,
  tenant: Tenant,
  database: string,
  credentials: DatabaseCredentials,
): Promise<StepOutcome> {
  const name = connectionSecretOf(tenant);
  try {
    const desired = desiredConnectionSecret(tenant, name, { ...credentials, database });
    const live = await scope.readSecret(name);
    if (!secretMatches(live, desired)) {
      await applyObject(scope.deps.kube, desired);
      const verb = live ? 'updated' : tenant.status?.secretName ? 'restored' : 'created';
      await scope.event(
        'Normal',
        `Secret${verb[0]?.toUpperCase()}${verb.slice(1)}`,
        `${verb} connection Secret ${name}`,
      );
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
