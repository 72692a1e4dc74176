/**
 * Benchmark (issue 13): a steady LMS load while each fault is injected in turn.
 *
 * One API pod (its own process, `api/src/main.ts`, the fault tests' short deadlines: 2 s) reaches
 * three FerretDB clusters, the registry and Redis through Toxiproxy links. Schools (a teacher and
 * their courses) on every cluster; load workers read (GET /v1/courses) and write (POST /v1/courses
 * with an Idempotency-Key, sent again with the same key while unanswered or 503) across all of them.
 * Phases: no fault, then each fault for --fault seconds, removed, and --settle seconds to recover.
 * Per fault it prints: requests answered, errors by status, p99 for the tenants the fault is about
 * and for the others (ratio to the no-fault phase), time from the fault's removal until the
 * affected tenants are served again (five successes in a row), and acknowledged writes missing from
 * the databases at the end (must be 0).
 *
 *   npx tsx bench/faults.ts [--schools=3] [--workers=12] [--baseline=15] [--fault=10] [--settle=10]
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import type { RunningApi } from '../api/src/app/server.ts';
import { hostOf } from '../test/api/fixtures.ts';
import { openSchool, type School } from '../test/api/school.ts';
import { type FaultyWorld, faultyWorld, startPodProcess, timedCall } from '../test/faults/api-fixtures.ts';
import { eventually } from '../test/harness/eventually.ts';
import { fmt, log, option, percentile, runBench, table } from './lib/common.ts';

const CLUSTERS = 3;
const SCHOOLS_PER_CLUSTER = option('schools', 3);
const WORKERS = option('workers', 12);
const BASELINE_S = option('baseline', 15);
const FAULT_S = option('fault', 10);
const SETTLE_S = option('settle', 10);
/** The pod's deadline (FAULT_ENV): no request may take much longer, whatever the fault. */
const DEADLINE_MS = 2_000;

interface Fault {
  name: string;
  /** Which tenants it is about: a cluster's, or all. */
  affects: 'cluster-0' | 'all';
  inject(faults: FaultyWorld): Promise<() => Promise<void>>;
}

const FAULTS: Fault[] = [
  {
    name: 'cluster-0 slow (+300 ms each way)',
    affects: 'cluster-0',
    async inject(f) {
      const link = f.clusters[0];
      if (!link) throw new Error('no link');
      const down = await link.add({ type: 'latency', attributes: { latency: 300 } });
      const up = await link.add({ type: 'latency', stream: 'upstream', attributes: { latency: 300 } });
      return async () => {
        await link.remove(down);
        await link.remove(up);
      };
    },
  },
  {
    name: 'cluster-0 stalled (black hole)',
    affects: 'cluster-0',
    async inject(f) {
      await f.clusters[0]?.stall();
      return async () => f.clusters[0]?.heal();
    },
  },
  {
    name: 'cluster-0 gone (refused)',
    affects: 'cluster-0',
    async inject(f) {
      await f.clusters[0]?.disable();
      return async () => f.clusters[0]?.enable();
    },
  },
  {
    name: 'registry stalled',
    affects: 'all',
    async inject(f) {
      await f.registry.stall();
      return async () => f.registry.heal();
    },
  },
  {
    name: 'Redis stalled',
    affects: 'all',
    async inject(f) {
      await f.redis.stall();
      return async () => f.redis.heal();
    },
  },
  {
    name: 'Redis gone',
    affects: 'all',
    async inject(f) {
      await f.redis.disable();
      return async () => f.redis.enable();
    },
  },
];

interface Sample {
  phase: string;
  cluster: string;
  at: number;
  status: number;
  ms: number;
  code?: string;
}

interface Acknowledged {
  phase: string;
  school: School;
  courseId: string;
}

runBench(
  CLUSTERS,
  async () => {
    const teardowns: Array<() => Promise<void> | void> = [];
    const t = { teardown: (fn: () => Promise<void> | void) => teardowns.push(fn) };
    try {
      await run(t);
    } finally {
      for (const fn of teardowns.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    }
  },
  { faults: true },
);

async function run(t: { teardown: (fn: () => Promise<void> | void) => void }): Promise<void> {
  const faults = await faultyWorld(t);
  const setup: RunningApi = await faults.world.startApi({ RATE_LIMITS: '{}' });
  log(`opening ${SCHOOLS_PER_CLUSTER} schools on each of ${CLUSTERS} clusters`);
  const schools: Array<{ school: School; teacher: string }> = [];
  for (let c = 0; c < CLUSTERS; c++) {
    for (let i = 0; i < SCHOOLS_PER_CLUSTER; i++) {
      const school = await openSchool(faults.world, setup, {
        cluster: faults.world.clusters[c] ?? 'cluster-0',
      });
      const teacher = await school.person('teacher');
      schools.push({ school, teacher: teacher.token });
    }
  }
  const pod = await startPodProcess(
    t,
    faults.world,
    faults.env({ RATE_LIMITS: '{}', SHUTDOWN_DRAIN_DELAY_MS: '0' }),
  );
  t.teardown(async () => {
    pod.child.kill('SIGTERM');
    await pod.exited;
  });
  const agent = new Agent({ keepAlive: true, maxSockets: WORKERS * 2 });
  t.teardown(() => agent.destroy());
  // The pod learns each tenant (cache, handle, pool) before the clock starts.
  for (const { school, teacher } of schools) {
    await eventually(
      'the pod serves the school',
      () => timedCall(pod.url, 'GET', '/v1/courses', { host: hostOf(school.tenant), token: teacher, agent }),
      (reply) => reply.status === 200,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  let phase = 'no fault';
  const samples: Sample[] = [];
  const acknowledged: Acknowledged[] = [];
  let stop = false;
  let written = 0;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const pick = schools[(w + i * 7) % schools.length];
      if (!pick) continue;
      const { school, teacher } = pick;
      const cluster = school.tenant.cluster ?? '';
      const options = { host: hostOf(school.tenant), token: teacher, agent, timeoutMs: DEADLINE_MS * 5 };
      if (i % 4 === 0) {
        // A write, retried with its key while it gets no answer or a 503, as a careful client would.
        const key = randomUUID();
        const code = `B${w}-${i}-${written++}`;
        for (let attempt = 0; attempt < 50 && !stop; attempt++) {
          const at = performance.now();
          const reply = await timedCall(pod.url, 'POST', '/v1/courses', {
            ...options,
            body: { title: `Course ${code}`, code },
            headers: { 'idempotency-key': key },
          });
          samples.push({ phase, cluster, at, status: reply.status, ms: reply.ms, code: reply.body?.code });
          if (reply.status === 201) {
            acknowledged.push({ phase, school, courseId: reply.body.id });
            break;
          }
          if (reply.status !== 0 && reply.status !== 503) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } else {
        const at = performance.now();
        const reply = await timedCall(pod.url, 'GET', '/v1/courses?limit=20', options);
        samples.push({ phase, cluster, at, status: reply.status, ms: reply.ms, code: reply.body?.code });
      }
    }
  };
  const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));
  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));

  log(`no fault: ${BASELINE_S} s`);
  await sleep(BASELINE_S);
  const recovery = new Map<string, number>();
  for (const fault of FAULTS) {
    phase = fault.name;
    log(`${fault.name}: ${FAULT_S} s`);
    const remove = await fault.inject(faults);
    await sleep(FAULT_S);
    await remove();
    const removedAt = performance.now();
    phase = `${fault.name} (recovering)`;
    const affected = (s: Sample) => fault.affects === 'all' || s.cluster === fault.affects;
    // Recovered: five requests in a row for the affected tenants, sent after the removal, succeed.
    await eventually(
      `${fault.name}: recovered`,
      async () => samples.filter((s) => s.at >= removedAt && affected(s)).slice(-5),
      (last) => last.length === 5 && last.every((s) => s.status === 200 || s.status === 201),
      { timeoutMs: 60_000, intervalMs: 50 },
    ).catch(() => undefined);
    // Recovered at the answer of the first success after the last failure.
    const after = samples.filter((s) => s.at >= removedAt && affected(s));
    const firstGood = after[after.findLastIndex((s) => s.status !== 200 && s.status !== 201) + 1];
    recovery.set(fault.name, firstGood ? (firstGood.at + firstGood.ms - removedAt) / 1000 : Number.NaN);
    await sleep(SETTLE_S);
    phase = 'between faults';
  }
  stop = true;
  await Promise.all(workers);

  // Every acknowledged write must be in its tenant's database.
  const lost = new Map<string, number>();
  for (const ack of acknowledged) {
    const c = faults.world.clusters.indexOf(ack.school.tenant.cluster ?? '');
    const db = faults.world.mongo[c]?.db(ack.school.tenant.database ?? '');
    const found = await db?.collection('courses').countDocuments({ _id: ack.courseId as never });
    if (found !== 1) lost.set(ack.phase, (lost.get(ack.phase) ?? 0) + 1);
  }

  const p99 = (xs: Sample[]) =>
    percentile(
      xs.map((s) => s.ms).sort((a, b) => a - b),
      99,
    );
  const baseline = samples.filter((s) => s.phase === 'no fault');
  const baseAffected = p99(baseline.filter((s) => s.cluster === 'cluster-0'));
  const baseOthers = p99(baseline.filter((s) => s.cluster !== 'cluster-0'));
  const baseAll = p99(baseline);
  const rows: Array<Array<string | number>> = [
    [
      'phase',
      'answered',
      'errors by status',
      'p99 affected (ratio)',
      'p99 others (ratio)',
      'recovery s',
      'acked writes lost',
    ],
  ];
  const errorsOf = (xs: Sample[]) => {
    const counts = new Map<string, number>();
    for (const s of xs)
      if (s.status !== 200 && s.status !== 201) {
        const key = `${s.status || 'no answer'}${s.code ? ` ${s.code}` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    return [...counts].map(([k, n]) => `${n}× ${k}`).join(', ') || '—';
  };
  rows.push([
    'no fault',
    baseline.filter((s) => s.status !== 0).length,
    errorsOf(baseline),
    `${fmt(baseAffected)} ms (cluster-0)`,
    `${fmt(baseOthers)} ms`,
    '—',
    lost.get('no fault') ?? 0,
  ]);
  for (const fault of FAULTS) {
    const during = samples.filter((s) => s.phase === fault.name);
    const affected = during.filter((s) => fault.affects === 'all' || s.cluster === fault.affects);
    const others = during.filter((s) => fault.affects !== 'all' && s.cluster !== fault.affects);
    const baseA = fault.affects === 'all' ? baseAll : baseAffected;
    rows.push([
      fault.name,
      during.filter((s) => s.status !== 0).length,
      errorsOf(during),
      `${fmt(p99(affected))} ms (${fmt(p99(affected) / baseA)}×)`,
      others.length ? `${fmt(p99(others))} ms (${fmt(p99(others) / baseOthers)}×)` : '— (all affected)',
      fmt(recovery.get(fault.name) ?? Number.NaN),
      (lost.get(fault.name) ?? 0) + (lost.get(`${fault.name} (recovering)`) ?? 0),
    ]);
  }
  console.log(
    `\n## Faults under load: ${schools.length} schools on ${CLUSTERS} clusters, ${WORKERS} workers, ` +
      `${FAULT_S} s per fault, deadline ${DEADLINE_MS} ms\n`,
  );
  table(rows);
  const totalLost = [...lost.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\n${samples.length} requests, ${acknowledged.length} acknowledged writes, ${totalLost} lost; ` +
      `slowest answer ${fmt(Math.max(...samples.map((s) => s.ms)))} ms`,
  );
}
