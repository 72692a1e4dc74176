import test from 'ava';
import { v7 as uuidv7 } from 'uuid';
import { applyMigrations, SCHEMA_COLLECTION } from '../../contract/src/tenant-db/index.ts';
import { createWorld, type World } from './fixtures.ts';
import { openSchool } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('the attempt that counts is the latest: a new attempt supersedes the earlier ones, and the migration marks those stored before', async (t) => {
  const api = await world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const [ada, bo] = [await school.person('student'), await school.person('student')];
  const course = await school.as(teacher)('POST', '/v1/courses', { title: 'Attempts', code: 'ATT-1' });
  const courseUrl = `/v1/courses/${course.body.id}`;
  for (const s of [ada, bo]) {
    await school.as(teacher)('POST', `${courseUrl}/enrollments`, { userId: s.id, role: 'student' });
  }
  const assignment = await school.as(teacher)('POST', `${courseUrl}/assignments`, {
    title: 'Essay',
    pointsPossible: 10,
    published: true,
  });
  const submissions = `${courseUrl}/assignments/${assignment.body.id}/submissions`;
  const first = await school.as(ada)('POST', submissions, { body: 'draft' });
  await school.as(teacher)(
    'PUT',
    `${submissions}/${first.body.id}/grade`,
    { score: 4 },
    { 'if-match': `"${first.body.version}"` },
  );
  await school.as(ada)('POST', submissions, { body: 'final' });

  const db = world.mongo[0]?.db(school.tenant.database ?? '');
  if (!db) throw new Error('no tenant database');
  const stored = db.collection('submissions');
  const marks = async (accountId: string) =>
    (await stored.find({ accountId }).sort({ attempt: 1 }).toArray()).map((s) => [
      s.attempt,
      Boolean(s.supersededAt),
    ]);
  t.deepEqual(await marks(ada.id), [
    [1, true],
    [2, false],
  ]);

  // Two attempts as an API before superseding stored them: neither marked.
  for (const attempt of [1, 2]) {
    await stored.insertOne({
      _id: uuidv7() as never,
      courseId: course.body.id,
      assignmentId: assignment.body.id,
      accountId: bo.id,
      attempt,
      body: `old ${attempt}`,
      submittedAt: new Date(),
      late: false,
      daysLate: 0,
      workflowState: attempt === 1 ? 'graded' : 'submitted',
      score: attempt === 1 ? 9 : null,
      finalScore: attempt === 1 ? 9 : null,
      feedback: '',
      gradedBy: null,
      gradedAt: null,
      version: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
  }
  await db.collection(SCHEMA_COLLECTION).updateOne({ _id: 'tenant-db' as never }, { $set: { version: 4 } });
  const migrated = await applyMigrations(db, { target: 5 });
  t.deepEqual(migrated.applied, ['superseded-attempts']);
  t.deepEqual(await marks(bo.id), [
    [1, true],
    [2, false],
  ]);
  t.deepEqual(await marks(ada.id), [
    [1, true],
    [2, false],
  ]);

  // The gradebook counts the latest attempt of each: submitted, not yet graded.
  const book = await school.as(teacher)('GET', `${courseUrl}/gradebook`);
  t.deepEqual(
    book.body.students.map((s: { grades: Array<{ workflowState: string }> }) => s.grades[0]?.workflowState),
    ['submitted', 'submitted'],
  );
});
