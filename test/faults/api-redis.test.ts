import test from 'ava';
import { hostOf } from '../api/fixtures.ts';
import { eventually } from '../harness/eventually.ts';
import { FAULT_ENV, faultyWorld, SLACK_MS, summary, type TimedReply, timedCall } from './api-fixtures.ts';

const DEADLINE = Number(FAULT_ENV.REQUEST_DEADLINE_MS);
/** How long a pod may take to notice that Redis stopped answering: a heartbeat and its timeout. */
const NOTICE_MS = Number(FAULT_ENV.REDIS_HEARTBEAT_MS) + Number(FAULT_ENV.REDIS_COMMAND_TIMEOUT_MS);
const RECOVERY_MS = 15_000;

test('Redis stalled, then cut: known tenants are served, tokens are refused while revocations cannot be known (a revocation made meanwhile is never missed), logins are refused, nothing waits past the deadline, and it recovers by itself', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi();
  // Another pod that still reaches Redis: where a revocation happens during the fault.
  const other = await faults.world.startApi({ ...FAULT_ENV });
  const school = await faults.school(api, 0);
  const teacher = await school.person('teacher');
  // A tenant this pod has never looked up: neither in its memory nor in Redis.
  const unseen = await faults.world.tenant({ cluster: faults.world.clusters[1] ?? '' });

  const replies: TimedReply[] = [];
  const send = async (method: string, path: string, options: Parameters<typeof timedCall>[3] = {}) => {
    const reply = await timedCall(api.url, method, path, { timeoutMs: DEADLINE + 10_000, ...options });
    replies.push(reply);
    return reply;
  };
  const host = hostOf(school.tenant);
  const anonymous = () => send('GET', '/v1/tenant', { host });
  const asTeacher = (token = teacher.token) => send('GET', '/v1/courses', { host, token });
  const login = () =>
    send('POST', '/v1/auth/login', {
      host,
      body: { email: school.admin.email, password: school.admin.password },
    });
  t.is((await asTeacher()).status, 200);

  // ---- stalled: every byte to Redis and back goes nowhere ----
  await faults.redis.stall();
  const stalledStart = replies.length;
  t.is((await anonymous()).status, 200, 'a tenant this pod knows is served');
  t.is(
    (await send('GET', '/v1/tenant', { host: hostOf(unseen) })).status,
    200,
    'and one it finds in the registry',
  );
  const refusedLogin = await login();
  t.is(refusedLogin.status, 503);
  t.is(refusedLogin.body?.code, 'login-unavailable');
  // The teacher's sessions end on a pod that reaches Redis: this pod must not go on accepting them.
  const changed = await timedCall(other.url, 'POST', '/v1/me/password', {
    host,
    token: teacher.token,
    body: { currentPassword: teacher.password, newPassword: 'a-new-password-123' },
  });
  t.is(changed.status, 204);
  const refusedToken = await eventually(
    'the stalled pod stops accepting tokens',
    () => asTeacher(),
    (reply) => reply.status !== 200,
    { timeoutMs: NOTICE_MS + DEADLINE + SLACK_MS, intervalMs: 100 },
  );
  t.is(refusedToken.status, 503);
  t.is(refusedToken.body?.code, 'revocation-check-unavailable');
  t.truthy(refusedToken.headers['retry-after']);
  t.is((await anonymous()).status, 200, 'token-less requests still pass (the limiter fails open)');
  const stalled = replies.slice(stalledStart);
  t.true(
    stalled.every((r) => r.status !== 0 && r.ms <= DEADLINE + SLACK_MS),
    `nothing waits past the deadline: ${summary(stalled)}`,
  );

  // ---- healed: the pod reconnects by itself, re-reads the revocations, and serves ----
  await faults.redis.heal();
  const relogged = await eventually(
    'logins work again',
    () => login(),
    (reply) => reply.status === 200,
    { timeoutMs: RECOVERY_MS, intervalMs: 200 },
  );
  const adminToken = relogged.body.accessToken as string;
  t.is(
    (
      await eventually(
        'tokens are accepted again',
        () => asTeacher(adminToken),
        (r) => r.status === 200,
        {
          timeoutMs: RECOVERY_MS,
          intervalMs: 200,
        },
      )
    ).status,
    200,
  );
  const revoked = await asTeacher();
  t.is(revoked.status, 401, 'the revocation made during the stall holds here');
  t.is(revoked.body?.code, 'invalid-token');

  // ---- cut: connections refused, as a dead Redis does ----
  await faults.redis.disable();
  const cutStart = replies.length;
  const cutToken = await eventually(
    'tokens are refused once the connection is gone',
    () => asTeacher(adminToken),
    (reply) => reply.status !== 200,
    { timeoutMs: NOTICE_MS + DEADLINE + SLACK_MS, intervalMs: 100 },
  );
  t.is(cutToken.body?.code, 'revocation-check-unavailable');
  t.is((await anonymous()).status, 200);
  t.is((await login()).body?.code, 'login-unavailable');
  const cut = replies.slice(cutStart);
  t.true(
    cut.every((r) => r.status !== 0 && r.ms <= DEADLINE + SLACK_MS),
    `nothing waits past the deadline: ${summary(cut)}`,
  );

  await faults.redis.enable();
  t.is(
    (
      await eventually(
        'tokens are accepted after Redis is back',
        () => asTeacher(adminToken),
        (r) => r.status === 200,
        {
          timeoutMs: RECOVERY_MS,
          intervalMs: 200,
        },
      )
    ).status,
    200,
  );
  t.is((await eventually('logins work after Redis is back', login, (r) => r.status === 200)).status, 200);
});
