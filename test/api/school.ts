import type { RunningApi } from '../../api/src/app/server.ts';
import type { TenantRecord } from '../../contract/src/registry/index.ts';
import { seedAdmin } from '../../contract/src/tenant-db/index.ts';
import { call, hostOf, type Reply, type World } from './fixtures.ts';

export interface Person {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

/**
 * A tenant with people in it, built the way a real one is: the admin seeded into the tenant
 * database (as the operator does), everyone else created and logged in through the API.
 */
export interface School {
  tenant: TenantRecord;
  api: RunningApi;
  admin: Person;
  as(
    person: Person | string | undefined,
  ): (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;
  person(role: 'admin' | 'teacher' | 'student', name?: string): Promise<Person>;
  login(email: string, password: string): Promise<Reply>;
}

let counter = 0;

export async function openSchool(
  world: World,
  api: RunningApi,
  overrides: Partial<TenantRecord> = {},
): Promise<School> {
  const tenant = await world.tenant(overrides);
  const clusterIndex = world.clusters.indexOf(tenant.cluster ?? '');
  const db = world.mongo[clusterIndex]?.db(tenant.database ?? '');
  if (!db) throw new Error('tenant database unreachable');
  const adminEmail = `admin@${tenant.subdomain}.example.edu`;
  const initialAdminPassword = 'initial-admin-password';
  const adminPassword = 'chosen-admin-password';
  await seedAdmin(db, { email: adminEmail, password: initialAdminPassword });

  const as =
    (person: Person | string | undefined) =>
    (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      call(api.url, method, path, {
        host: hostOf(tenant),
        ...(person ? { token: typeof person === 'string' ? person : person.token } : {}),
        ...(body !== undefined ? { body } : {}),
        headers,
      });
  const login = (email: string, password: string) =>
    call(api.url, 'POST', '/v1/auth/login', { host: hostOf(tenant), body: { email, password } });

  // The seeded admin must choose a password before anything else, as a school's would.
  const firstLogin = await login(adminEmail, initialAdminPassword);
  if (firstLogin.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(firstLogin.body)}`);
  const changed = await call(api.url, 'POST', '/v1/me/password', {
    host: hostOf(tenant),
    token: firstLogin.body.accessToken,
    body: { currentPassword: initialAdminPassword, newPassword: adminPassword },
  });
  if (changed.status !== 204)
    throw new Error(`admin password change failed: ${JSON.stringify(changed.body)}`);
  const adminLogin = await login(adminEmail, adminPassword);
  if (adminLogin.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(adminLogin.body)}`);
  const admin: Person = {
    id: adminLogin.body.user.id,
    email: adminEmail,
    password: adminPassword,
    token: adminLogin.body.accessToken,
    refreshToken: adminLogin.body.refreshToken,
  };
  const school: School = {
    tenant,
    api,
    admin,
    as,
    login,
    async person(role, name = `${role}${++counter}`) {
      const email = `${name}@${tenant.subdomain}.example.edu`;
      const password = `${name}-password-123`;
      const created = await as(admin)('POST', '/v1/users', { email, displayName: name, role, password });
      if (created.status !== 201) throw new Error(`create ${role} failed: ${JSON.stringify(created.body)}`);
      const session = await login(email, password);
      if (session.status !== 200) throw new Error(`login ${role} failed: ${JSON.stringify(session.body)}`);
      return {
        id: created.body.user.id,
        email,
        password,
        token: session.body.accessToken,
        refreshToken: session.body.refreshToken,
      };
    },
  };
  return school;
}
