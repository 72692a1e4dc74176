import test from 'ava';
import { createWorld, type World } from './fixtures.ts';
import { openSchool, type Person } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

type Actor = 'admin' | 'courseTeacher' | 'otherTeacher' | 'student' | 'otherStudent' | 'anonymous';

test('the role matrix: every route answers each kind of caller as the rules say', async (t) => {
  const api = await world.startApi();
  const s = await openSchool(world, api);
  const people: Record<Exclude<Actor, 'anonymous' | 'admin'>, Person> = {
    courseTeacher: await s.person('teacher'),
    otherTeacher: await s.person('teacher'),
    student: await s.person('student'),
    otherStudent: await s.person('student'),
  };
  const actor = (a: Actor) => s.as(a === 'anonymous' ? undefined : a === 'admin' ? s.admin : people[a]);
  const teach = actor('courseTeacher');
  const course = (await teach('POST', '/v1/courses', { title: 'Matrix', code: 'MX' })).body;
  const c = `/v1/courses/${course.id}`;
  await teach('POST', `${c}/enrollments`, { userId: people.student.id, role: 'student' });
  const assignment = (
    await teach('POST', `${c}/assignments`, { title: 'A', pointsPossible: 10, published: true })
  ).body;
  const a = `${c}/assignments/${assignment.id}`;
  const etag = async () => String((await teach('GET', c)).headers.etag);

  type Call = () => Promise<{
    method: string;
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
  }>;
  const matrix: Array<[string, Call, Record<Actor, number>]> = [
    [
      'list users',
      async () => ({ method: 'GET', path: '/v1/users' }),
      { admin: 200, courseTeacher: 403, otherTeacher: 403, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'create user',
      async () => ({
        method: 'POST',
        path: '/v1/users',
        body: { email: `u${Math.random()}@x.edu`, role: 'student' },
      }),
      { admin: 201, courseTeacher: 403, otherTeacher: 403, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'import users',
      async () => ({
        method: 'POST',
        path: '/v1/users/import',
        body: { users: [{ email: `i${Math.random()}@x.edu`, role: 'student' }] },
      }),
      { admin: 200, courseTeacher: 403, otherTeacher: 403, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'create course',
      async () => ({
        method: 'POST',
        path: '/v1/courses',
        body: { title: 'New', code: `c${Math.random()}` },
      }),
      { admin: 201, courseTeacher: 201, otherTeacher: 201, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'read course',
      async () => ({ method: 'GET', path: c }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 200, otherStudent: 404, anonymous: 401 },
    ],
    [
      'edit course',
      async () => ({
        method: 'PATCH',
        path: c,
        body: { description: 'x' },
        headers: { 'if-match': await etag() },
      }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'add lesson',
      async () => ({ method: 'POST', path: `${c}/lessons`, body: { title: 'L' } }),
      { admin: 201, courseTeacher: 201, otherTeacher: 404, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'read roster',
      async () => ({ method: 'GET', path: `${c}/enrollments` }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'submit work',
      async () => ({ method: 'POST', path: `${a}/submissions`, body: { body: 'w' } }),
      { admin: 403, courseTeacher: 403, otherTeacher: 403, student: 201, otherStudent: 404, anonymous: 401 },
    ],
    [
      'list submissions',
      async () => ({ method: 'GET', path: `${a}/submissions` }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 200, otherStudent: 404, anonymous: 401 },
    ],
    [
      'gradebook',
      async () => ({ method: 'GET', path: `${c}/gradebook` }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'own grades',
      async () => ({ method: 'GET', path: `${c}/grades/me` }),
      { admin: 403, courseTeacher: 403, otherTeacher: 403, student: 200, otherStudent: 404, anonymous: 401 },
    ],
    [
      'take attendance',
      async () => ({
        method: 'PUT',
        path: `${c}/attendance/2026-11-25`,
        body: { records: [{ userId: people.student.id, status: 'present' }] },
      }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 403, otherStudent: 403, anonymous: 401 },
    ],
    [
      'read attendance',
      async () => ({ method: 'GET', path: `${c}/attendance` }),
      { admin: 200, courseTeacher: 200, otherTeacher: 404, student: 200, otherStudent: 404, anonymous: 401 },
    ],
  ];

  const failures: string[] = [];
  for (const [name, build, expected] of matrix) {
    for (const who of Object.keys(expected) as Actor[]) {
      const req = await build();
      const reply = await actor(who)(req.method, req.path, req.body, req.headers);
      if (reply.status !== expected[who])
        failures.push(`${name} as ${who}: ${reply.status}, expected ${expected[who]}`);
    }
  }
  t.deepEqual(failures, []);

  // A student's view of a shared list holds only their own rows.
  const submissions = await actor('student')('GET', `${a}/submissions`);
  t.true(submissions.body.items.every((row: { userId: string }) => row.userId === people.student.id));
});
