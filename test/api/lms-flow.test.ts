import test from 'ava';
import { ManualClock } from '../harness/manual-clock.ts';
import { call, createWorld, hostOf, RESYNC_OUTSIDE_JUMPS, type World } from './fixtures.ts';
import { openSchool, type School } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

/** A school whose API pod keeps its own time, from 2026-11-25 10:00 UTC on; `at` moves it forward. */
async function school(): Promise<School & { at(iso: string): void }> {
  const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
  // Tokens outlive the test's jumps in time (a week at most).
  const api = await world.startApi(
    { ...RESYNC_OUTSIDE_JUMPS, ACCESS_TOKEN_TTL_S: String(14 * 86_400) },
    { clock },
  );
  return Object.assign(await openSchool(world, api), {
    at: (iso: string) => clock.advance(Date.parse(iso) - clock.now()),
  });
}

test('a course from creation to gradebook: lessons, a late submission with its penalty, grades, attendance', async (t) => {
  const s = await school();
  const [teacher, alice, bob] = [
    await s.person('teacher'),
    await s.person('student'),
    await s.person('student'),
  ];
  const asTeacher = s.as(teacher);

  const course = await asTeacher('POST', '/v1/courses', { title: 'Biology 101', code: 'BIO-101' });
  t.is(course.status, 201);
  t.is(course.headers.location, `/v1/courses/${course.body.id}`);
  const courseUrl = `/v1/courses/${course.body.id}`;
  for (const student of [alice, bob]) {
    t.is(
      (await asTeacher('POST', `${courseUrl}/enrollments`, { userId: student.id, role: 'student' })).status,
      201,
    );
  }
  const duplicate = await asTeacher('POST', `${courseUrl}/enrollments`, {
    userId: alice.id,
    role: 'student',
  });
  t.is(duplicate.status, 409);

  // Lessons keep their order; students see published ones only.
  await asTeacher('POST', `${courseUrl}/lessons`, { title: 'Cells', published: true });
  await asTeacher('POST', `${courseUrl}/lessons`, { title: 'Draft notes' });
  await asTeacher('POST', `${courseUrl}/lessons`, { title: 'Genetics', published: true });
  const lessons = await s.as(alice)('GET', `${courseUrl}/lessons?sort=position`);
  t.deepEqual(
    lessons.body.items.map((l: { title: string; position: number }) => [l.title, l.position]),
    [
      ['Cells', 0],
      ['Genetics', 2],
    ],
  );

  const assignment = await asTeacher('POST', `${courseUrl}/assignments`, {
    title: 'Essay',
    pointsPossible: 100,
    dueAt: '2026-11-26T10:00:00Z',
    latePolicy: { acceptLate: true, penaltyPercentPerDay: 10, maxLateDays: 3 },
    published: true,
  });
  t.is(assignment.status, 201);
  const submissionsUrl = `${courseUrl}/assignments/${assignment.body.id}/submissions`;

  const onTime = await s.as(alice)('POST', submissionsUrl, { body: 'My essay' });
  t.is(onTime.status, 201);
  t.like(onTime.body, { attempt: 1, late: false, workflowState: 'submitted' });

  s.at('2026-11-27T12:00:00Z'); // two days (rounded up) late
  const late = await s.as(bob)('POST', submissionsUrl, { body: 'Late essay' });
  t.like(late.body, { late: true, daysLate: 2 });
  s.at('2026-12-01T12:00:00Z'); // past maxLateDays
  const tooLate = await s.as(bob)('POST', submissionsUrl, { body: 'Way too late' });
  t.is(tooLate.status, 409);

  // Students see only their own submissions; teachers see all.
  t.is((await s.as(alice)('GET', submissionsUrl)).body.items.length, 1);
  t.is((await asTeacher('GET', submissionsUrl)).body.items.length, 2);
  t.is((await s.as(alice)('GET', `${submissionsUrl}/${late.body.id}`)).status, 404);

  const grade = (submission: { id: string; version: number }, score: number) =>
    asTeacher(
      'PUT',
      `${submissionsUrl}/${submission.id}/grade`,
      { score, feedback: 'ok', state: 'returned' },
      {
        'if-match': `"${submission.version}"`,
      },
    );
  t.like((await grade(onTime.body, 90)).body, { score: 90, finalScore: 90, workflowState: 'returned' });
  t.like((await grade(late.body, 90)).body, { score: 90, finalScore: 72 }, '10% per day, two days');
  const stale = await grade(onTime.body, 95);
  t.is(stale.status, 412, 'a grade written from a stale version is refused');
  const overMax = await asTeacher(
    'PUT',
    `${submissionsUrl}/${onTime.body.id}/grade`,
    { score: 101 },
    { 'if-match': '"2"' },
  );
  t.is(overMax.status, 422);

  const gradebook = await asTeacher('GET', `${courseUrl}/gradebook`);
  t.is(gradebook.status, 200);
  const totals = Object.fromEntries(
    gradebook.body.students.map((row: { userId: string; totalScore: number }) => [
      row.userId,
      row.totalScore,
    ]),
  );
  t.deepEqual(totals, { [alice.id]: 90, [bob.id]: 72 });
  const mine = await s.as(bob)('GET', `${courseUrl}/grades/me`);
  t.deepEqual(
    mine.body.students.map((row: { userId: string }) => row.userId),
    [bob.id],
  );
  t.is((await s.as(bob)('GET', `${courseUrl}/gradebook`)).status, 403);

  // Attendance: recorded for enrolled students only, all or nothing; students see their own.
  const session = `${courseUrl}/attendance/2026-11-25`;
  const outsider = await s.person('student');
  const rejected = await asTeacher('PUT', session, {
    records: [
      { userId: alice.id, status: 'present' },
      { userId: outsider.id, status: 'absent' },
    ],
  });
  t.is(rejected.status, 422);
  t.deepEqual(rejected.body.issues[0].path, ['body', 'records', 1, 'userId']);
  t.is((await asTeacher('GET', `${courseUrl}/attendance`)).body.items.length, 0, 'nothing was written');
  const taken = await asTeacher('PUT', session, {
    records: [
      { userId: alice.id, status: 'present' },
      { userId: bob.id, status: 'late', note: 'bus' },
    ],
  });
  t.is(taken.status, 200);
  t.is(taken.body.items.length, 2);
  const corrected = await asTeacher('PUT', session, { records: [{ userId: bob.id, status: 'excused' }] });
  t.is(corrected.body.items.find((r: { userId: string }) => r.userId === bob.id).status, 'excused');
  const own = await s.as(alice)('GET', `${courseUrl}/attendance`);
  t.deepEqual(
    own.body.items.map((r: { userId: string; status: string }) => [r.userId, r.status]),
    [[alice.id, 'present']],
  );
});

test('bad input classes are 422 problems listing the issues, and write nothing', async (t) => {
  const s = await school();
  const teacher = await s.person('teacher');
  const asTeacher = s.as(teacher);
  const cases: Array<[string, unknown, string[]]> = [
    ['unknown field', { title: 'T', code: 'C1', colour: 'red' }, ['body']],
    ['wrong type', { title: 42, code: 'C2' }, ['body.title']],
    ['out of range', { title: 'x'.repeat(201), code: 'C3' }, ['body.title']],
    ['bad enum', { title: 'T', code: 'C4', state: 'deleted' }, ['body.state']],
    ['missing field', { code: 'C5' }, ['body.title']],
    ['several at once', { title: '', code: 42, extra: true }, ['body', 'body.code', 'body.title']],
  ];
  for (const [name, body, paths] of cases) {
    const reply = await asTeacher('POST', '/v1/courses', body);
    t.is(reply.status, 422, name);
    t.is(reply.headers['content-type'], 'application/problem+json', name);
    t.deepEqual(reply.body.issues.map((i: { path: unknown[] }) => i.path.join('.')).sort(), paths, name);
  }
  const badJson = await call(s.api.url, 'POST', '/v1/courses', {
    host: hostOf(s.tenant),
    token: teacher.token,
    headers: { 'content-type': 'application/json' },
    raw: '{"title": "unterminated',
  });
  t.is(badJson.status, 400);
  t.is(badJson.body.code, 'malformed-request');
  const query = await asTeacher('GET', '/v1/courses?limit=1000');
  t.is(query.status, 422);
  t.deepEqual(query.body.issues[0].path, ['query', 'limit']);
  const unknownSort = await asTeacher('GET', '/v1/courses?sort=secret');
  t.is(unknownSort.status, 422);
  t.is(
    (await asTeacher('GET', '/v1/courses')).body.items.length,
    0,
    'no course was created by any bad request',
  );

  // Conflicts: a duplicate course code or e-mail is 409.
  t.is((await asTeacher('POST', '/v1/courses', { title: 'A', code: 'SAME' })).status, 201);
  t.is((await asTeacher('POST', '/v1/courses', { title: 'B', code: 'SAME' })).status, 409);
  const dupUser = await s.as(s.admin)('POST', '/v1/users', { email: teacher.email, role: 'student' });
  t.is(dupUser.status, 409);
});

test('updates need If-Match: missing is 428, stale is 412, current succeeds and bumps the ETag', async (t) => {
  const s = await school();
  const teacher = await s.person('teacher');
  const asTeacher = s.as(teacher);
  const course = await asTeacher('POST', '/v1/courses', { title: 'Physics', code: 'PHY' });
  const url = `/v1/courses/${course.body.id}`;
  t.is((await asTeacher('PATCH', url, { title: 'Physics I' })).status, 428);
  const first = await asTeacher(
    'PATCH',
    url,
    { title: 'Physics I' },
    { 'if-match': course.headers.etag as string },
  );
  t.is(first.status, 200);
  t.is(first.headers.etag, '"2"');
  // A second editor still holding version 1 does not overwrite the first.
  const second = await asTeacher('PATCH', url, { title: 'Physics 1' }, { 'if-match': '"1"' });
  t.is(second.status, 412);
  t.is((await asTeacher('GET', url)).body.title, 'Physics I');
});

test('cursor pagination: Link next/prev, bounded limit, stable under concurrent inserts', async (t) => {
  const s = await school();
  const asAdmin = s.as(s.admin);
  for (let i = 0; i < 7; i++) await asAdmin('POST', '/v1/courses', { title: `Course ${i}`, code: `P${i}` });
  const seen: string[] = [];
  let next: string | undefined = '/v1/courses?limit=3';
  let pages = 0;
  while (next) {
    const page = await asAdmin('GET', next);
    t.is(page.status, 200);
    seen.push(...page.body.items.map((c: { code: string }) => c.code));
    // Someone inserts while we page: the new course sorts after the cursor, so it is seen once at most.
    if (pages++ === 0) await asAdmin('POST', '/v1/courses', { title: 'Inserted', code: 'P-new' });
    const link = String(page.headers.link ?? '');
    next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    if (pages > 1) t.regex(link, /rel="prev"/);
  }
  t.deepEqual(seen.slice(0, 7), ['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
  t.is(new Set(seen).size, seen.length, 'no course twice');

  const byTitleDesc = await asAdmin('GET', '/v1/courses?sort=-title&limit=2');
  t.deepEqual(
    byTitleDesc.body.items.map((c: { title: string }) => c.title),
    ['Inserted', 'Course 6'],
  );
  const following = await asAdmin(
    'GET',
    /<([^>]+)>; rel="next"/.exec(String(byTitleDesc.headers.link))?.[1] ?? '',
  );
  t.deepEqual(
    following.body.items.map((c: { title: string }) => c.title),
    ['Course 5', 'Course 4'],
  );
  const back = await asAdmin('GET', /<([^>]+)>; rel="prev"/.exec(String(following.headers.link))?.[1] ?? '');
  t.deepEqual(
    back.body.items.map((c: { title: string }) => c.title),
    ['Inserted', 'Course 6'],
  );
  const tampered = await asAdmin('GET', '/v1/courses?cursor=bm9wZQ');
  t.is(tampered.status, 422);
});
