import { randomUUID } from 'node:crypto';
import test from 'ava';
import { idempotencyScope } from '../../api/src/http/idempotency.ts';
import { derivedIds } from '../../api/src/http/request-ids.ts';
import { IDEMPOTENCY_KEYS_COLLECTION } from '../../contract/src/tenant-db/index.ts';
import { call, createWorld, type World } from './fixtures.ts';
import { openSchool, type School } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

const keyed = (key: string) => ({ 'idempotency-key': key });

function tenantDb(school: School) {
  const db = world.mongo[0]?.db(school.tenant.database ?? '');
  if (!db) throw new Error('no tenant database');
  return db;
}

/** A school with a teacher, a course of theirs with a student in it and a published assignment. */
async function classroom(code: string) {
  const api = await world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const student = await school.person('student');
  const course = await school.as(teacher)('POST', '/v1/courses', { title: 'Idempotency', code });
  const courseUrl = `/v1/courses/${course.body.id}`;
  await school.as(teacher)('POST', `${courseUrl}/enrollments`, { userId: student.id, role: 'student' });
  const assignment = await school.as(teacher)('POST', `${courseUrl}/assignments`, {
    title: 'Essay',
    pointsPossible: 10,
    published: true,
  });
  const submissions = `${courseUrl}/assignments/${assignment.body.id}/submissions`;
  return { api, school, teacher, student, submissions, assignmentId: assignment.body.id as string };
}

test('a repeated request with the same key replays the first answer and creates nothing', async (t) => {
  const { school, teacher, student, submissions, assignmentId } = await classroom('IDEM-0');
  const db = tenantDb(school);
  const key = randomUUID();
  const body = { title: 'Once', code: 'ONCE-1' };
  const first = await school.as(teacher)('POST', '/v1/courses', body, keyed(key));
  t.is(first.status, 201);
  t.is(first.headers['idempotent-replayed'], undefined);
  const again = await school.as(teacher)('POST', '/v1/courses', body, keyed(key));
  t.is(again.status, 201);
  t.is(again.headers['idempotent-replayed'], 'true');
  t.deepEqual(again.body, first.body);
  t.is(again.headers.location, first.headers.location);
  t.is(again.headers.etag, first.headers.etag);
  t.is(await db.collection('courses').countDocuments({ code: 'ONCE-1' }), 1);
  t.is(await db.collection('enrollments').countDocuments({ courseId: first.body.id }), 1);

  // A submission: the same attempt, not a second one.
  const submissionKey = randomUUID();
  const submitted = await school.as(student)('POST', submissions, { body: 'mine' }, keyed(submissionKey));
  const resent = await school.as(student)('POST', submissions, { body: 'mine' }, keyed(submissionKey));
  t.is(submitted.status, 201);
  t.deepEqual(resent.body, submitted.body);
  t.is(await db.collection('submissions').countDocuments({ assignmentId, accountId: student.id }), 1);

  // A refusal is an answer too: replayed, not re-run.
  const refused = await school.as(teacher)('POST', '/v1/courses', body, keyed('second-key'));
  t.is(refused.status, 409);
  t.is(refused.body.code, 'conflict');
  const refusedAgain = await school.as(teacher)('POST', '/v1/courses', body, keyed('second-key'));
  t.is(refusedAgain.status, 409);
  t.is(refusedAgain.headers['idempotent-replayed'], 'true');
  t.deepEqual(refusedAgain.body, refused.body);

  // What is stored of an answer is sealed with the key: nothing of it reads in the database.
  const record = await db.collection(IDEMPOTENCY_KEYS_COLLECTION).findOne({ route: '/v1/courses' });
  t.is(record?.state, 'completed');
  t.false(JSON.stringify(record).includes('ONCE-1'));
  t.false(JSON.stringify(record).includes(key));
});

test('the same key with another request is a 422; a malformed key a 400; no key, no idempotency', async (t) => {
  const { school, teacher } = await classroom('IDEM-1');
  const key = randomUUID();
  t.is(
    (await school.as(teacher)('POST', '/v1/courses', { title: 'A', code: 'A-1' }, keyed(key))).status,
    201,
  );
  const other = await school.as(teacher)('POST', '/v1/courses', { title: 'B', code: 'B-1' }, keyed(key));
  t.is(other.status, 422);
  t.is(other.body.code, 'idempotency-key-reused');
  t.is(other.body.type, 'https://atrium.dev/problems/idempotency-key-reused');
  t.regex(String(other.headers['content-type']), /^application\/problem\+json/);

  for (const bad of ['x'.repeat(256), 'with space', '""']) {
    const refused = await school.as(teacher)('POST', '/v1/courses', { title: 'C', code: 'C-1' }, keyed(bad));
    t.is(refused.status, 400, bad);
    t.is(refused.body.code, 'idempotency-key-invalid');
  }
  // An sf-string (the draft's form) is the same key as its content.
  const quoted = await school.as(teacher)(
    'POST',
    '/v1/courses',
    { title: 'A', code: 'A-1' },
    keyed(`"${key}"`),
  );
  t.is(quoted.status, 201);
  t.is(quoted.headers['idempotent-replayed'], 'true');

  const plain = await school.as(teacher)('POST', '/v1/courses', { title: 'A', code: 'A-1' });
  t.is(plain.status, 409, 'without a key, the request runs again');
  t.is(plain.body.code, 'conflict');
});

test('the same key sent twice at once: one runs, the other waits for its answer (or is told to retry)', async (t) => {
  const { school, teacher } = await classroom('IDEM-2');
  const key = randomUUID();
  const body = { title: 'Twice at once', code: 'TWICE' };
  const replies = await Promise.all([
    school.as(teacher)('POST', '/v1/courses', body, keyed(key)),
    school.as(teacher)('POST', '/v1/courses', body, keyed(key)),
  ]);
  const ran = replies.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
  t.is(ran.length, 1, JSON.stringify(replies.map((r) => [r.status, r.body])));
  const other = replies.find((r) => r !== ran[0]);
  if (other?.status === 409) {
    t.is(other.body.code, 'idempotency-key-in-use');
    t.truthy(other.headers['retry-after']);
  } else {
    t.is(other?.status, 201);
    t.is(other?.headers['idempotent-replayed'], 'true');
    t.deepEqual(other?.body, ran[0]?.body);
  }
  t.is(await tenantDb(school).collection('courses').countDocuments({ code: 'TWICE' }), 1);
});

test('a key in progress elsewhere for longer than this request could wait is a 409 with Retry-After; once its attempt is past its deadline, a retry takes over', async (t) => {
  const { school, student, submissions, assignmentId } = await classroom('IDEM-3');
  const keys = tenantDb(school).collection(IDEMPOTENCY_KEYS_COLLECTION);
  const key = randomUUID();
  const first = await school.as(student)('POST', submissions, { body: 'essay' }, keyed(key));
  t.is(first.status, 201);
  const record = await keys.findOne({ accountId: student.id });
  if (!record) throw new Error('no record of the key');

  // An attempt that started (by another pod's clock) a minute from now: it cannot be over in time.
  await keys.updateOne(
    { _id: record._id },
    { $set: { state: 'in-progress', response: null, startedAt: new Date(Date.now() + 60_000) } },
  );
  const busy = await school.as(student)('POST', submissions, { body: 'essay' }, keyed(key));
  t.is(busy.status, 409);
  t.is(busy.body.code, 'idempotency-key-in-use');
  t.true(Number(busy.headers['retry-after']) >= 60);

  // An attempt that started longer ago than the request deadline (10 s) and never answered (its
  // pod died after storing the submission): the retry takes over and answers with that submission.
  await keys.updateOne({ _id: record._id }, { $set: { startedAt: new Date(Date.now() - 11_000) } });
  const retried = await school.as(student)('POST', submissions, { body: 'essay' }, keyed(key));
  t.is(retried.status, 201);
  t.is(retried.headers['idempotent-replayed'], undefined, 'run again, not replayed');
  t.deepEqual(retried.body, first.body);
  t.is(await tenantDb(school).collection('submissions').countDocuments({ assignmentId }), 1);
  const taken = await keys.findOne({ _id: record._id });
  t.is(taken?.state, 'completed');
  t.true((taken?.startedAt as Date) > record.startedAt);

  // The same with nothing stored by the first attempt: the retry does the work.
  await tenantDb(school).collection('submissions').deleteMany({ assignmentId });
  await keys.updateOne(
    { _id: record._id },
    { $set: { state: 'in-progress', response: null, startedAt: new Date(Date.now() - 11_000) } },
  );
  const redone = await school.as(student)('POST', submissions, { body: 'essay' }, keyed(key));
  t.is(redone.status, 201);
  t.is(redone.body.id, first.body.id, 'the same id: derived from the key');
  t.is(await tenantDb(school).collection('submissions').countDocuments({ assignmentId }), 1);
});

test('a crash after the documents were written and before the answer was recorded: the retry answers with them and creates nothing', async (t) => {
  const { school, teacher } = await classroom('IDEM-4');
  const db = tenantDb(school);
  const key = randomUUID();
  // What the first attempt stored before its pod died: the course and its teacher's enrollment,
  // with the ids derived from the key; its record of the key was let go (or expired).
  const ids = derivedIds(
    idempotencyScope(school.tenant.tenantId, teacher.id, { method: 'post', path: '/v1/courses' }, key),
  );
  const [courseId, enrollmentId] = [ids.next(), ids.next()];
  const now = new Date();
  await db.collection('courses').insertOne({
    _id: courseId as never,
    title: 'Crashed',
    code: 'CRASHED',
    description: '',
    state: 'draft',
    createdBy: teacher.id,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await db.collection('enrollments').insertOne({
    _id: enrollmentId as never,
    courseId,
    accountId: teacher.id,
    role: 'teacher',
    state: 'active',
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  const retried = await school.as(teacher)(
    'POST',
    '/v1/courses',
    { title: 'Crashed', code: 'CRASHED' },
    keyed(key),
  );
  t.is(retried.status, 201, JSON.stringify(retried.body));
  t.is(retried.body.id, courseId);
  t.is(retried.headers.location, `/v1/courses/${courseId}`);
  t.is(await db.collection('courses').countDocuments({ code: 'CRASHED' }), 1);
  t.is(await db.collection('enrollments').countDocuments({ courseId }), 1);

  // Only the course made it: the retry adds the enrollment, once.
  const otherKey = randomUUID();
  const others = derivedIds(
    idempotencyScope(school.tenant.tenantId, teacher.id, { method: 'post', path: '/v1/courses' }, otherKey),
  );
  const halfId = others.next();
  await db.collection('courses').insertOne({
    _id: halfId as never,
    title: 'Half',
    code: 'HALF',
    description: '',
    state: 'draft',
    createdBy: teacher.id,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  const half = await school.as(teacher)(
    'POST',
    '/v1/courses',
    { title: 'Half', code: 'HALF' },
    keyed(otherKey),
  );
  t.is(half.status, 201);
  t.is(half.body.id, halfId);
  t.is(await db.collection('enrollments').countDocuments({ courseId: halfId, accountId: teacher.id }), 1);
  t.is((await school.as(teacher)('GET', `/v1/courses/${halfId}`)).status, 200, 'the teacher is enrolled');
});

test("one account's keys are not another's, nor another tenant's, nor another route's", async (t) => {
  const { api, school, teacher } = await classroom('IDEM-5');
  const colleague = await school.person('teacher');
  const key = 'shared-key';
  const mine = await school.as(teacher)('POST', '/v1/courses', { title: 'Mine', code: 'MINE' }, keyed(key));
  t.is(mine.status, 201);
  const theirs = await school.as(colleague)(
    'POST',
    '/v1/courses',
    { title: 'Theirs', code: 'THEIRS' },
    keyed(key),
  );
  t.is(theirs.status, 201, 'not 422: another account');
  t.is(theirs.headers['idempotent-replayed'], undefined);
  t.not(theirs.body.id, mine.body.id);

  const lesson = await school.as(teacher)(
    'POST',
    `/v1/courses/${mine.body.id}/lessons`,
    { title: 'Lesson' },
    keyed(key),
  );
  t.is(lesson.status, 201, 'another route');
  t.not(lesson.body.id, mine.body.id);

  // Another tenant, the same request, the same key (and an admin there with the same user id would
  // still be in another database).
  const elsewhere = await openSchool(world, api);
  const otherTeacher = await elsewhere.person('teacher');
  const there = await elsewhere.as(otherTeacher)(
    'POST',
    '/v1/courses',
    { title: 'Mine', code: 'MINE' },
    keyed(key),
  );
  t.is(there.status, 201);
  t.is(there.headers['idempotent-replayed'], undefined);
  t.not(there.body.id, mine.body.id);
  t.is(await tenantDb(elsewhere).collection('courses').countDocuments({ code: 'MINE' }), 1);
});

test('the OpenAPI document offers Idempotency-Key on the routes that create, and not on logins', async (t) => {
  const api = await world.startApi();
  const doc = (await call(api.url, 'GET', '/openapi.json')).body as {
    paths: Record<
      string,
      Record<string, { parameters?: Array<{ name: string; in: string }>; responses: object }>
    >;
  };
  const header = (path: string, method: string) =>
    (doc.paths[path]?.[method]?.parameters ?? []).some(
      (p) => p.in === 'header' && p.name === 'idempotency-key',
    );
  for (const path of [
    '/v1/courses',
    '/v1/users',
    '/v1/users/import',
    '/v1/courses/{courseId}/lessons',
    '/v1/courses/{courseId}/enrollments',
    '/v1/courses/{courseId}/assignments',
    '/v1/courses/{courseId}/assignments/{assignmentId}/submissions',
  ]) {
    t.true(header(path, 'post'), path);
  }
  t.false(header('/v1/auth/login', 'post'));
  t.false(header('/v1/auth/refresh', 'post'));
  t.false(header('/v1/courses', 'get'));
  t.true(JSON.stringify(doc.paths['/v1/courses']?.post?.responses).includes('idempotency-key-reused'));
});
