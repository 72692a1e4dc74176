import test from 'ava';
import { hostOf } from '../api/fixtures.ts';
import { eventually } from '../harness/eventually.ts';
import { FAULT_ENV, faultyWorld, SLACK_MS, summary, type TimedReply, timedCall } from './api-fixtures.ts';

const DEADLINE = Number(FAULT_ENV.REQUEST_DEADLINE_MS);
const RECOVERY_MS = 15_000;

test('the registry stalled, then cut: tenants the pod knows (or finds in Redis) are served, unknown ones get 503 registry-unavailable with Retry-After within the deadline (then at once), readiness says so, and it recovers by itself', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi();
  const known = await faults.school(api, 0);
  // Looked up by another pod: in Redis, not in this pod's memory.
  const shared = await faults.world.tenant({ cluster: faults.world.clusters[1] ?? '' });
  const other = await faults.world.startApi({ ...FAULT_ENV });
  t.is((await timedCall(other.url, 'GET', '/v1/tenant', { host: hostOf(shared) })).status, 200);
  // Never looked up by anyone: only the registry knows it.
  const unseen = await faults.world.tenant({ cluster: faults.world.clusters[1] ?? '' });

  const replies: TimedReply[] = [];
  const send = async (host: string, token?: string) => {
    const reply = await timedCall(api.url, 'GET', token ? '/v1/courses' : '/v1/tenant', {
      host,
      ...(token ? { token } : {}),
      timeoutMs: DEADLINE + 10_000,
    });
    replies.push(reply);
    return reply;
  };
  const checkFault = async (what: string) => {
    const start = replies.length;
    t.is(
      (await send(hostOf(known.tenant), known.admin.token)).status,
      200,
      `${what}: a tenant the pod knows`,
    );
    t.is((await send(hostOf(shared))).status, 200, `${what}: a tenant in Redis`);
    const refused = await send(hostOf(unseen));
    t.is(refused.status, 503, `${what}: ${summary([refused])}`);
    t.is(refused.body?.code, 'registry-unavailable');
    t.truthy(refused.headers['retry-after']);
    const nonsense = await send('no-such-school.lms.test');
    t.is(nonsense.body?.code, 'registry-unavailable', 'an unknown name is not taken for a missing tenant');
    const ready = await timedCall(api.opsUrl, 'GET', '/readyz', { timeoutMs: DEADLINE + 10_000 });
    t.is(ready.status, 503, `${what}: not ready`);
    t.false(ready.body?.checks?.registry);
    t.true(ready.ms <= DEADLINE + SLACK_MS, `readiness answers: ${ready.ms} ms`);
    const these = replies.slice(start);
    t.true(
      these.every((r) => r.ms <= DEADLINE + SLACK_MS),
      `${what}: nothing waits past the deadline: ${summary(these)}`,
    );
    // The registry's breaker is open by now: an unknown tenant is refused without waiting.
    for (let i = 0; i < 3; i++) await send(hostOf(unseen));
    const fast = await send(hostOf(unseen));
    t.is(fast.body?.code, 'registry-unavailable');
    t.true(fast.ms < DEADLINE, `${what}: refused at once: ${fast.ms} ms`);
  };

  await faults.registry.stall();
  await checkFault('stalled');
  await faults.registry.heal();
  const back = await eventually(
    'an unknown tenant is found once the registry answers again',
    () => send(hostOf(unseen)),
    (reply) => reply.status === 200,
    { timeoutMs: RECOVERY_MS, intervalMs: 200 },
  );
  t.is(back.body?.id, unseen.tenantId);

  const another = await faults.world.tenant({ cluster: faults.world.clusters[1] ?? '' });
  await faults.registry.disable();
  const cutStart = replies.length;
  const refused = await send(hostOf(another));
  t.is(refused.body?.code, 'registry-unavailable', summary([refused]));
  t.is((await send(hostOf(known.tenant), known.admin.token)).status, 200);
  t.true(
    replies.slice(cutStart).every((r) => r.ms <= DEADLINE + SLACK_MS),
    summary(replies.slice(cutStart)),
  );
  await faults.registry.enable();
  const found = await eventually(
    'found once the registry is back',
    () => send(hostOf(another)),
    (reply) => reply.status === 200,
    { timeoutMs: RECOVERY_MS, intervalMs: 200 },
  );
  t.is(found.body?.id, another.tenantId);
  t.is((await timedCall(api.opsUrl, 'GET', '/readyz')).status, 200, 'ready again');
});

test('a tenant the pod knew is served past its cache TTLs while the registry cannot be read, for TENANT_STALE_IF_ERROR_MS', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi({
    TENANT_CACHE_TTL_MS: '200',
    TENANT_REDIS_TTL_MS: '200',
    TENANT_STALE_IF_ERROR_MS: '60000',
  });
  const tenant = await faults.world.tenant();
  const lookUp = () =>
    timedCall(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant), timeoutMs: DEADLINE + 10_000 });
  t.is((await lookUp()).status, 200);
  // Both of its cache entries expire: the next look-up would read the registry.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await faults.registry.stall();
  const served = await lookUp();
  t.is(served.status, 200, summary([served]));
  t.is(served.body?.id, tenant.tenantId);
  t.true(served.ms <= DEADLINE + SLACK_MS);
  await faults.registry.heal();
  const metrics = await (await fetch(`${api.opsUrl}/metrics`)).text();
  t.regex(metrics, /atrium_tenant_cache_lookups_total\{layer="stale"\} [1-9]/);
});
