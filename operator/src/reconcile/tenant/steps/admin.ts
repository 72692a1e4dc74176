import {
  findAccountByEmail,
  generatePassword,
  seedAdmin,
} from '../../../../../contract/src/tenant-db/index.ts';
import { applyObject } from '../../../kube/clients.ts';
import type { ClusterConnection } from '../../../provisioning/cluster-connections.ts';
import { desiredAdminSecret, readSecretValue } from '../../../provisioning/connection-secret.ts';
import { adminSecretNameFor } from '../../../provisioning/names.ts';
import type { Tenant } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import { type TenantScope, unreachable } from '../scope.ts';
import { secretNotOwned } from './secret.ts';

/** The Secret with the administrator's initial password, when spec.admin asks for one. */
export function adminSecretOf(tenant: Tenant): string | undefined {
  return tenant.spec.admin?.email ? adminSecretNameFor(tenant.metadata.name) : undefined;
}

/**
 * The administrator spec.admin names, created once with a generated password that is delivered
 * in a Secret before the account exists (a crash in between cannot lose it). An existing account
 * is never touched: its password may have been changed since.
 */
export async function ensureAdmin(
  scope: TenantScope,
  tenant: Tenant,
  connection: ClusterConnection,
  database: string,
): Promise<StepOutcome> {
  const email = tenant.spec.admin?.email;
  if (!email) return { condition: present(Reason.NoAdminRequested, 'spec.admin is not set') };
  const name = adminSecretNameFor(tenant.metadata.name);
  try {
    const db = connection.client.db(database);
    if (await findAccountByEmail(db, email)) {
      return { condition: present(Reason.AdminPresent, `administrator ${email} exists`) };
    }
    const found = await scope.ownedSecret(name);
    if ('notOwned' in found) throw secretNotOwned(name, ConditionType.AdminSeeded);
    let password =
      readSecretValue(found.secret, 'email') === email
        ? readSecretValue(found.secret, 'password')
        : undefined;
    if (!password) {
      password = generatePassword();
      await applyObject(scope.deps.kube, desiredAdminSecret(tenant, name, email, password));
    }
    await seedAdmin(db, { email, password, now: scope.clock.date() });
    scope.note('AdminSeeded', `created administrator ${email}; the initial password is in Secret ${name}`);
    return { condition: present(Reason.AdminPresent, `administrator ${email} exists`) };
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw (
      unreachable(connection, ConditionType.AdminSeeded, error) ??
      new StepFailure(
        ConditionType.AdminSeeded,
        Reason.AdminSeedFailed,
        `seeding administrator: ${safeMessage(error)}`,
        {
          cause: error,
        },
      )
    );
  }
}

function present(reason: Reason, message: string) {
  return { type: ConditionType.AdminSeeded, status: 'True' as const, reason, message };
}
