import test from 'ava';
import { ManualClock } from '../harness/manual-clock.ts';
import {
  accountSnapshot,
  call,
  createWorld,
  hostOf,
  openSchool,
  problemShape,
  RESYNC_OUTSIDE_JUMPS,
  type School,
  tenantDb,
  type World,
} from './api-fixtures.ts';

// Attacks on sessions: a refresh token stolen (from a laptop, a log, a proxy) before its owner
// changed something that should have ended it; an account that was meant to be unusable.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

const refresh = (school: School, refreshToken: string) =>
  call(school.api.url, 'POST', '/v1/auth/refresh', { host: hostOf(school.tenant), body: { refreshToken } });

async function liveRefreshTokens(school: School, accountId: string): Promise<number> {
  return tenantDb(world, school.tenant)
    .collection('refresh_tokens')
    .countDocuments({ accountId, revokedAt: null, rotatedAt: null });
}

async function userCount(school: School): Promise<number> {
  return tenantDb(world, school.tenant).collection('accounts').countDocuments();
}

test('a refresh token stolen before a password change refreshes nothing afterwards (no admin token for the thief)', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  // The thief copies the admin's refresh token; the admin, warned, changes the password.
  const stolen = school.admin.refreshToken;
  const rotated = await refresh(school, stolen);
  t.is(rotated.status, 200, 'the admin keeps using the session for a while');
  const stolenLater = rotated.body.refreshToken as string;
  const changed = await school.as(rotated.body.accessToken)('POST', '/v1/me/password', {
    currentPassword: school.admin.password,
    newPassword: 'after-the-theft-password',
  });
  t.is(changed.status, 204);
  const usersBefore = await userCount(school);
  const adminBefore = await accountSnapshot(tenantDb(world, school.tenant), school.admin.id);

  const attempt = await refresh(school, stolenLater);
  t.is(attempt.status, 401, JSON.stringify(attempt.body));
  t.is(attempt.body.code, 'refresh-token-invalid');
  t.is((await school.as(attempt.body.accessToken)('GET', '/v1/users')).status, 401, 'no token to use');
  t.is(await liveRefreshTokens(school, school.admin.id), 0, "every family of the admin's is revoked");

  // The victim: unchanged by the attempt, and the new password still works.
  t.is(await userCount(school), usersBefore);
  t.deepEqual(await accountSnapshot(tenantDb(world, school.tenant), school.admin.id), adminBefore);
  const login = await school.login(school.admin.email, 'after-the-theft-password');
  t.is(login.status, 200);
  t.is((await school.as(login.body.accessToken)('GET', '/v1/users')).status, 200);
});

test('a role change ends every session of the account: a demoted teacher cannot refresh', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const second = await school.login(teacher.email, teacher.password);
  const current = await school.as(school.admin)('GET', `/v1/users/${teacher.id}`);
  const demoted = await school.as(school.admin)(
    'PATCH',
    `/v1/users/${teacher.id}`,
    { role: 'student' },
    { 'if-match': String(current.headers.etag) },
  );
  t.is(demoted.status, 200);

  for (const stolen of [teacher.refreshToken, second.body.refreshToken as string]) {
    const attempt = await refresh(school, stolen);
    t.is(attempt.status, 401, JSON.stringify(attempt.body));
    t.is(attempt.body.code, 'refresh-token-invalid');
  }
  t.is(await liveRefreshTokens(school, teacher.id), 0);
  // A fresh login gets the new role.
  const login = await school.login(teacher.email, teacher.password);
  t.is(login.body.user.role, 'student');
});

test('deactivation ends every session for good: reactivating the account does not revive a stolen refresh token', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const student = await school.person('student');
  const patch = async (body: object) => {
    const current = await school.as(school.admin)('GET', `/v1/users/${student.id}`);
    return school.as(school.admin)('PATCH', `/v1/users/${student.id}`, body, {
      'if-match': String(current.headers.etag),
    });
  };
  t.is((await patch({ status: 'deactivated' })).status, 200);
  t.is(await liveRefreshTokens(school, student.id), 0, 'revoked at deactivation, not at the next refresh');
  t.is((await patch({ status: 'active' })).status, 200);

  const attempt = await refresh(school, student.refreshToken);
  t.is(attempt.status, 401, JSON.stringify(attempt.body));
  t.is(attempt.body.code, 'refresh-token-invalid');
  t.is((await school.login(student.email, student.password)).status, 200, 'the owner logs in again');
});

test('a session ends at its absolute lifetime, however often it is rotated', async (t) => {
  const clock = new ManualClock();
  const api = await world.startApi(
    { ...RESYNC_OUTSIDE_JUMPS, REFRESH_TOKEN_TTL_S: '3600', REFRESH_FAMILY_MAX_S: '7200' },
    { clock },
  );
  const school = await openSchool(world, api);
  const student = await school.person('student');
  let token = student.refreshToken;
  // Rotated every 50 minutes, each new token would live another hour: never idle long enough to expire.
  for (const minutes of [50, 100]) {
    clock.advance(50 * 60_000);
    const rotated = await refresh(school, token);
    t.is(rotated.status, 200, `rotation at ${minutes} min`);
    token = rotated.body.refreshToken;
  }
  clock.advance(50 * 60_000);
  const past = await refresh(school, token);
  t.is(past.status, 401, 'two hours after the login the session is over');
  t.is(past.body.code, 'refresh-token-invalid');
  t.is((await school.login(student.email, student.password)).status, 200, 'a new login starts a new session');
});

test('an account that must change its password can do nothing else with its tokens', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  // An admin invited without a password: the initial one is generated, and must be changed.
  const invited = await school.as(school.admin)('POST', '/v1/users', {
    email: `invited@${school.tenant.subdomain}.example.edu`,
    role: 'admin',
  });
  t.is(invited.status, 201);
  const initial = invited.body.initialPassword as string;
  const login = await school.login(invited.body.user.email, initial);
  t.is(login.status, 200);
  t.true(login.body.mustChangePassword);
  const usersBefore = await userCount(school);
  const asInvited = school.as(login.body.accessToken);

  // Whoever holds the initial password (it went out by e-mail) gets nothing but the password change.
  const attempts = [
    await asInvited('GET', '/v1/users'),
    await asInvited('POST', '/v1/users', {
      email: 'mole@evil.test',
      role: 'admin',
      password: 'a-mole-password',
    }),
    await asInvited('GET', '/v1/courses'),
    await asInvited('POST', '/v1/courses', { title: 'Mole', code: 'MOLE' }),
  ];
  for (const reply of attempts) {
    t.is(reply.status, 403, JSON.stringify(reply.body));
    t.is(reply.body.code, 'password-change-required');
    t.is(reply.body.type, 'https://atrium.dev/problems/password-change-required');
  }
  const refreshed = await refresh(school, login.body.refreshToken);
  t.is(refreshed.status, 200);
  t.is(
    (await school.as(refreshed.body.accessToken)('GET', '/v1/users')).status,
    403,
    'refreshing does not lift it',
  );
  t.is(await userCount(school), usersBefore, 'nothing was created');
  t.is((await school.as(school.admin)('GET', '/v1/courses')).body.items.length, 0);

  // What it may do: read itself, change the password; then the account works.
  t.is((await asInvited('GET', '/v1/me')).status, 200);
  const changed = await school.as(refreshed.body.accessToken)('POST', '/v1/me/password', {
    currentPassword: initial,
    newPassword: 'chosen-by-the-invitee',
  });
  t.is(changed.status, 204);
  const again = await school.login(invited.body.user.email, 'chosen-by-the-invitee');
  t.false(again.body.mustChangePassword);
  t.is((await school.as(again.body.accessToken)('GET', '/v1/users')).status, 200);
});

test('a deactivated account answers a login exactly like a wrong password, even with the right one', async (t) => {
  const api = await world.startApi();
  const school = await openSchool(world, api);
  const active = await school.person('student');
  const gone = await school.person('student');
  const current = await school.as(school.admin)('GET', `/v1/users/${gone.id}`);
  await school.as(school.admin)(
    'PATCH',
    `/v1/users/${gone.id}`,
    { status: 'deactivated' },
    { 'if-match': String(current.headers.etag) },
  );
  const wrong = await school.login(active.email, 'not-the-password');
  const deactivatedWrong = await school.login(gone.email, 'not-the-password');
  const deactivatedRight = await school.login(gone.email, gone.password);
  t.is(wrong.status, 401);
  t.deepEqual(problemShape(deactivatedWrong), problemShape(wrong));
  t.deepEqual(problemShape(deactivatedRight), problemShape(wrong), 'the right password reveals nothing');
  t.deepEqual(Object.keys(deactivatedRight.headers).sort(), Object.keys(wrong.headers).sort());
  t.is(deactivatedRight.body.accessToken, undefined);
});
