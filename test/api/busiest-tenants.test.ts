import test from 'ava';
import { BusiestTenants } from '../../api/src/observability/busiest-tenants.ts';
import { ManualClock } from '../harness/manual-clock.ts';
import { call, createWorld, hostOf } from './fixtures.ts';

// Per-tenant visibility at bounded cardinality (#16): the busiest tenants of a pod by request rate
// and by error rate, as gauges with a series for those tenants only.

test('decayed rates: a steady tenant shows its rate; one that stops fades by half each half-life', (t) => {
  const clock = new ManualClock(0);
  const busiest = new BusiestTenants({ clock, top: 3, halfLifeMs: 10_000 });
  // 5 requests per second for a minute (six half-lives: the decayed count has settled).
  for (let ms = 0; ms < 60_000; ms += 200) {
    busiest.record('steady', { error: false, seconds: 0.02 });
    clock.advance(200);
  }
  const [steady] = busiest.busiest();
  t.is(steady?.tenantId, 'steady');
  t.true(Math.abs((steady?.requestsPerSecond ?? 0) - 5) < 0.2, `${steady?.requestsPerSecond} ≈ 5/s`);
  t.true(Math.abs((steady?.meanSeconds ?? 0) - 0.02) < 1e-9);
  clock.advance(10_000);
  const faded = busiest.busiest()[0]?.requestsPerSecond ?? 0;
  t.true(Math.abs(faded / (steady?.requestsPerSecond ?? 1) - 0.5) < 0.05, 'half after one half-life');
});

test('the top tenants by requests and by errors are shown, no more; memory is bounded however many tenants come', (t) => {
  const clock = new ManualClock(0);
  const busiest = new BusiestTenants({ clock, top: 2, halfLifeMs: 60_000, tracked: 100 });
  for (let i = 0; i < 30; i++) busiest.record('big', { error: false, seconds: 0.01 });
  for (let i = 0; i < 20; i++) busiest.record('medium', { error: false, seconds: 0.01 });
  for (let i = 0; i < 10; i++) busiest.record('small', { error: false, seconds: 0.01 });
  for (let i = 0; i < 3; i++) busiest.record('failing', { error: true, seconds: 2 });
  // A flood of one-off tenants (a scan, or just a big fleet).
  for (let i = 0; i < 10_000; i++) busiest.record(`one-off-${i}`, { error: false, seconds: 0.01 });
  t.true(busiest.trackedCount <= 2 * 100, `${busiest.trackedCount} tenants tracked`);
  const shown = busiest.busiest().map((a) => a.tenantId);
  t.deepEqual(shown, ['big', 'medium', 'failing'], 'top 2 by requests, then the top by errors');
});

test('an API pod exports its busiest tenants on /metrics, and only those', async (t) => {
  const world = await createWorld();
  t.teardown(() => world.close());
  const api = await world.startApi({ TOP_TENANTS: '2' });
  const tenants = [await world.tenant(), await world.tenant(), await world.tenant()];
  for (const [tenant, requests] of [
    [tenants[0], 12],
    [tenants[1], 6],
    [tenants[2], 2],
  ] as const) {
    if (!tenant) continue;
    for (let i = 0; i < requests; i++) {
      t.is((await call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant) })).status, 200);
    }
  }
  const metrics = String((await call(api.opsUrl, 'GET', '/metrics')).body);
  const series = [
    ...metrics.matchAll(/^atrium_tenant_busiest_requests_per_second\{tenant="([^"]+)"\} (\S+)$/gm),
  ];
  t.deepEqual(
    series.map(([, tenant]) => tenant),
    [tenants[0]?.tenantId, tenants[1]?.tenantId],
  );
  t.true(Number(series[0]?.[2]) > Number(series[1]?.[2]));
  t.regex(metrics, /^atrium_tenant_busiest_mean_latency_seconds\{tenant="[^"]+"\} \S+$/m);
  t.false(metrics.includes(`tenant="${tenants[2]?.tenantId}"`), 'the third tenant has no series');
});
