import { randomUUID } from 'node:crypto';
import test from 'ava';
import { hostOf } from '../api/fixtures.ts';
import { openSchool } from '../api/school.ts';
import { faultyWorld, PodBalancer, startPodProcess, summary, type TimedReply } from './api-fixtures.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a pod killed (SIGKILL) under a write load: every write a client saw acknowledged is stored, and a client that retries what got no answer (with its Idempotency-Key) creates nothing twice', async (t) => {
  const faults = await faultyWorld(t);
  const setup = await faults.world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(faults.world, setup);
  const teachers = [await school.person('teacher'), await school.person('teacher')];
  const students = await Promise.all(Array.from({ length: 4 }, () => school.person('student')));
  const course = await school.as(teachers[0])('POST', '/v1/courses', {
    title: 'Crash course',
    code: 'CRASH',
  });
  const courseUrl = `/v1/courses/${course.body.id}`;
  for (const s of students) {
    await school.as(teachers[0])('POST', `${courseUrl}/enrollments`, { userId: s.id, role: 'student' });
  }
  const assignment = await school.as(teachers[0])('POST', `${courseUrl}/assignments`, {
    title: 'Essay',
    pointsPossible: 10,
    published: true,
  });
  const submissions = `${courseUrl}/assignments/${assignment.body.id}/submissions`;

  const balancer = new PodBalancer(100);
  t.teardown(() => balancer.close());
  const env = faults.env({ RATE_LIMITS: '{}', REQUEST_DEADLINE_MS: '5000', SHUTDOWN_DRAIN_DELAY_MS: '0' });
  const start = async () => {
    const pod = await startPodProcess(t, faults.world, env);
    balancer.add(pod);
    await balancer.waitReady(pod);
    return pod;
  };
  const [doomed] = [await start(), await start()];
  // Replies from the database take a while: a write is often applied and not yet acknowledged.
  await faults.clusters[0]?.add({ type: 'latency', attributes: { latency: 100 } });

  const host = hostOf(school.tenant);
  /** One logical write: sent again, with the same key, while it gets no answer (or a 503). */
  const write = async (token: string, path: string, body: unknown) => {
    const key = randomUUID();
    let reply: TimedReply = { status: 0, headers: {}, body: undefined, ms: 0 };
    let sent = 0;
    for (; sent < 100 && (reply.status === 0 || reply.status === 503); sent++) {
      if (sent > 0) await sleep(100);
      reply = await balancer.call('POST', path, {
        host,
        token,
        body,
        headers: { 'idempotency-key': key },
        timeoutMs: 15_000,
      });
    }
    return { key, reply, sent };
  };
  type Write = Awaited<ReturnType<typeof write>> & {
    kind: 'course' | 'submission';
    who: string;
    code?: string;
  };
  const writes: Write[] = [];
  let stop = false;
  const teacherLoad = async (w: number) => {
    const teacher = teachers[w];
    if (!teacher) return;
    for (let i = 0; !stop; i++) {
      const code = `K${w}-${i}`;
      writes.push({
        ...(await write(teacher.token, '/v1/courses', { title: `Course ${code}`, code })),
        kind: 'course',
        who: teacher.id,
        code,
      });
    }
  };
  const studentLoad = async (s: (typeof students)[number]) => {
    for (let i = 0; !stop && i < 90; i++) {
      writes.push({
        ...(await write(s.token, submissions, { body: `attempt ${i}` })),
        kind: 'submission',
        who: s.id,
      });
    }
  };
  const load = [...teachers.map((_, w) => teacherLoad(w)), ...students.map(studentLoad)];
  await sleep(1_500);
  doomed.child.kill('SIGKILL');
  t.is(await doomed.exited, null, 'killed, not stopped');
  const replacement = start();
  await sleep(1_500);
  await replacement;
  stop = true;
  await Promise.all(load);

  const retried = writes.filter((w) => w.sent > 1);
  t.log(`${writes.length} writes, ${retried.length} sent again after no answer`);
  const unacknowledged = writes.filter((w) => w.reply.status !== 201);
  t.deepEqual(
    unacknowledged.length,
    0,
    `every write is acknowledged in the end: ${summary(unacknowledged.map((w) => w.reply).slice(0, 10))}`,
  );

  const db = faults.world.mongo[0]?.db(school.tenant.database ?? '');
  if (!db) throw new Error('no tenant database');
  // Courses: each acknowledged one stored once, under the id the client was given, with its teacher.
  const courses = writes.filter((w) => w.kind === 'course' && w.reply.status === 201);
  const storedCourses = await db
    .collection<{ _id: string; code: string }>('courses')
    .find({ code: { $in: courses.map((w) => w.code ?? '') } })
    .toArray();
  t.is(storedCourses.length, courses.length, 'every acknowledged course is stored');
  const idOf = new Map(storedCourses.map((c) => [c.code, c._id]));
  t.true(
    courses.every((w) => idOf.get(w.code ?? '') === w.reply.body?.id),
    'an answer to a retry names the course the first attempt created',
  );
  const teacherEnrollments = await db
    .collection('enrollments')
    .countDocuments({ courseId: { $in: [...idOf.values()] }, role: 'teacher' });
  t.is(teacherEnrollments, courses.length, 'each created course has its teacher enrolled, once');

  // Submissions: one stored attempt per acknowledged write, per student — no attempt twice.
  for (const s of students) {
    const acknowledged = writes.filter(
      (w) => w.kind === 'submission' && w.who === s.id && w.reply.status === 201,
    );
    const stored = await db
      .collection('submissions')
      .countDocuments({ assignmentId: assignment.body.id, accountId: s.id });
    t.is(stored, acknowledged.length, `no duplicate attempt for ${s.email}`);
    t.deepEqual(
      new Set(acknowledged.map((w) => w.reply.body?.id)).size,
      acknowledged.length,
      'each acknowledged write is its own attempt',
    );
  }
});
