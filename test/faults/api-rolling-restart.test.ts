import test from 'ava';
import { hostOf } from '../api/fixtures.ts';
import { openSchool } from '../api/school.ts';
import {
  faultyWorld,
  PodBalancer,
  type PodProcess,
  startPodProcess,
  summary,
  type TimedReply,
} from './api-fixtures.ts';

test('a rolling restart under a steady load loses no request: readiness goes first, the pod drains, then it closes', async (t) => {
  const faults = await faultyWorld(t);
  const school = await openSchool(faults.world, await faults.world.startApi());
  const host = hostOf(school.tenant);
  const token = school.admin.token;
  const balancer = new PodBalancer(100);
  t.teardown(() => balancer.close());
  // Longer than the balancer takes to notice a pod is not ready any more (its poll period).
  // Pools of a new pod connect under load: the fault tests' 1 s pool timeouts are not what this
  // test is about.
  const env = faults.env({
    SHUTDOWN_DRAIN_DELAY_MS: '1000',
    REQUEST_DEADLINE_MS: '5000',
    POOL_SERVER_SELECTION_TIMEOUT_MS: '4000',
    POOL_WAIT_QUEUE_TIMEOUT_MS: '4000',
    POOL_CONNECT_TIMEOUT_MS: '4000',
  });
  const start = async () => {
    const pod = await startPodProcess(t, faults.world, env);
    balancer.add(pod);
    await balancer.waitReady(pod);
    return pod;
  };
  const pods: PodProcess[] = [await start(), await start()];
  // Database round trips take a while: there are always requests in flight when a pod is told to stop.
  await faults.clusters[0]?.add({ type: 'latency', attributes: { latency: 30 } });

  type Outcome = TimedReply & { pod: string; method: string; code?: string };
  const outcomes: Outcome[] = [];
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      if (i % 3 === 0) {
        const code = `RR-${w}-${i}`;
        const reply = await balancer.call('POST', '/v1/courses', {
          host,
          token,
          body: { title: `Rolling ${w}/${i}`, code },
          timeoutMs: 20_000,
        });
        outcomes.push({ ...reply, method: 'POST', code });
      } else {
        const reply = await balancer.call('GET', '/v1/courses?limit=5', { host, token, timeoutMs: 20_000 });
        outcomes.push({ ...reply, method: 'GET' });
      }
    }
  };
  const workers = Array.from({ length: 6 }, (_, w) => worker(w));
  await new Promise((resolve) => setTimeout(resolve, 500));

  // Replace each pod in turn: the new one is ready before the old one is told to stop.
  const stopped: PodProcess[] = [];
  for (const old of [...pods]) {
    pods.push(await start());
    const before = outcomes.length;
    old.child.kill('SIGTERM');
    const code = await old.exited;
    balancer.remove(old);
    stopped.push(old);
    t.is(code, 0, old.output().slice(-2000));
    t.true(outcomes.length > before, 'the load went on while the pod drained');
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  stop = true;
  await Promise.all(workers);

  const failed = outcomes.filter((o) => !(o.method === 'POST' ? o.status === 201 : o.status === 200));
  t.deepEqual(
    failed.length,
    0,
    `every request answered, and answered right: ${summary(failed.slice(0, 20))}`,
  );
  for (const o of outcomes) {
    if (o.method === 'POST' && o.status === 201) t.is(o.body?.code, o.code, 'a complete body');
    if (o.method === 'GET' && o.status === 200) t.true(Array.isArray(o.body?.items), 'a complete body');
  }
  const servedByStopped = outcomes.filter((o) => stopped.some((p) => p.url === o.pod)).length;
  t.true(servedByStopped > 0);
  for (const pod of stopped) t.regex(pod.output(), /"unfinished":0,"msg":"stopped"/);
  const created = outcomes.filter((o) => o.status === 201).map((o) => o.code);
  const stored = await faults.world.mongo[0]
    ?.db(school.tenant.database ?? '')
    .collection('courses')
    .countDocuments({ code: { $in: created } });
  t.is(stored, created.length, 'every course acknowledged is stored');
  t.log(`${outcomes.length} requests, ${servedByStopped} of them by the pods that were replaced`);
});
