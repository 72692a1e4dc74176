import { generatePassword } from '../../../../../contract/src/tenant-db/index.ts';
import type { ClusterConnection } from '../../../provisioning/cluster-connections.ts';
import { readSecretValue } from '../../../provisioning/connection-secret.ts';
import { buildTenantUri } from '../../../provisioning/connection-uri.ts';
import { credentialsWork, ensureDatabaseUser, userExists } from '../../../provisioning/database-user.ts';
import type { Tenant } from '../../../resources/tenant.ts';
import { safeMessage } from '../../../safe-message.ts';
import { ConditionType, Reason } from '../../conditions.ts';
import { StepFailure } from '../../step-failure.ts';
import type { StepOutcome } from '../outcome.ts';
import { type TenantScope, unreachable } from '../scope.ts';
import type { LiveUser } from './credentials.ts';
import { connectionSecretOf, secretNotOwned } from './secret.ts';

export interface DatabaseCredentials {
  readonly username: string;
  readonly password: string;
  /** The tenant's connection URI with these credentials. */
  readonly uri: string;
}

export interface UserOutcome extends StepOutcome {
  readonly credentials: DatabaseCredentials;
}

/**
 * The tenant's own database user on `connection`'s cluster, with the password its connection
 * Secret holds (a new one if the Secret has none): created if missing, its password reset if it
 * no longer authenticates. Used by provisioning and by a move (on the target cluster). A Secret
 * of that name that is not this Tenant's is neither read nor, later, written.
 */
export async function ensureUser(
  scope: TenantScope,
  tenant: Tenant,
  connection: ClusterConnection,
  database: string,
  live: LiveUser,
): Promise<UserOutcome> {
  const shape = tenant.spec.connectionSecret;
  const secretName = connectionSecretOf(tenant);
  const username = live.username;
  const failure = (error: unknown) =>
    unreachable(connection, ConditionType.UserReady, error) ??
    new StepFailure(
      ConditionType.UserReady,
      Reason.UserProvisioningFailed,
      `database user ${username}: ${safeMessage(error)}`,
      {
        cause: error,
      },
    );
  let found: Awaited<ReturnType<TenantScope['ownedSecret']>>;
  try {
    found = await scope.ownedSecret(secretName);
  } catch (error) {
    throw failure(error);
  }
  if ('notOwned' in found) throw secretNotOwned(secretName);
  try {
    // A rotation being published knows the password; otherwise the Secret carries the live user's.
    const known =
      live.password ??
      (readSecretValue(found.secret, shape.usernameKey) === username
        ? readSecretValue(found.secret, shape.passwordKey)
        : undefined);
    const password = known ?? generatePassword();
    const uri = buildTenantUri({
      adminUri: connection.adminUri,
      hosts: connection.tenantHosts,
      username,
      password,
      database,
    });
    const exists = await userExists(connection.client, database, username);
    const passwordWorks = exists && known !== undefined && (await credentialsWork(uri));
    const change = await ensureDatabaseUser(
      connection.client,
      { database, username, password, flavour: connection.info.flavour },
      { exists, passwordWorks },
    );
    if (change === 'created') scope.note('UserCreated', `created database user ${username}`);
    if (change === 'passwordReset') {
      scope.note(
        'PasswordReset',
        `set a new password for database user ${username}; the connection Secret carries it`,
      );
    }
    return {
      credentials: { username, password, uri },
      condition: {
        type: ConditionType.UserReady,
        status: 'True',
        reason: Reason.CredentialsVerified,
        message: `database user ${username} authenticates on ${database}`,
      },
    };
  } catch (error) {
    throw failure(error);
  }
}
