import test from 'ava';
import type { MongoClient } from 'mongodb';
import { call, createWorld, hostOf, type World } from './fixtures.ts';
import { openSchool, type School } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

async function populated(school: School) {
  const teacher = await school.person('teacher');
  const student = await school.person('student');
  const course = (
    await school.as(teacher)('POST', '/v1/courses', {
      title: `${school.tenant.tenantId} course`,
      code: 'SHARED-CODE',
    })
  ).body;
  await school.as(teacher)('POST', `/v1/courses/${course.id}/enrollments`, {
    userId: student.id,
    role: 'student',
  });
  const assignment = (
    await school.as(teacher)('POST', `/v1/courses/${course.id}/assignments`, {
      title: 'A',
      pointsPossible: 5,
      published: true,
    })
  ).body;
  const submission = (
    await school.as(student)('POST', `/v1/courses/${course.id}/assignments/${assignment.id}/submissions`, {
      body: 'x',
    })
  ).body;
  return { teacher, student, course, assignment, submission };
}

test('cross-tenant: guessed ids, lists, tokens and concurrent traffic never cross between tenants', async (t) => {
  const api = await world.startApi();
  const a = await openSchool(world, api);
  const b = await openSchool(world, api, { cluster: world.clusters[1] });
  const [inA, inB] = [await populated(a), await populated(b)];

  // The same course code exists in both tenants: they are separate databases.
  t.not(inA.course.id, inB.course.id);

  // Ids of A used at B, with B's most privileged token, are not found.
  const asBAdmin = b.as(b.admin);
  for (const path of [
    `/v1/courses/${inA.course.id}`,
    `/v1/courses/${inA.course.id}/enrollments`,
    `/v1/courses/${inA.course.id}/assignments/${inA.assignment.id}/submissions/${inA.submission.id}`,
    `/v1/users/${inA.student.id}`,
  ]) {
    t.is((await asBAdmin('GET', path)).status, 404, path);
  }
  const writeAcross = await asBAdmin('POST', `/v1/courses/${inB.course.id}/enrollments`, {
    userId: inA.student.id,
    role: 'student',
  });
  t.is(writeAcross.status, 422, "A's user id does not exist at B");

  // Lists at B hold only B's rows.
  const users = await asBAdmin('GET', '/v1/users?limit=100');
  t.false(
    users.body.items.some((u: { id: string }) => [inA.student.id, inA.teacher.id, a.admin.id].includes(u.id)),
  );
  const courses = await asBAdmin('GET', '/v1/courses?limit=100');
  t.deepEqual(
    courses.body.items.map((c: { id: string }) => c.id),
    [inB.course.id],
  );

  // A's tokens are refused at B by host, by header, or when the header names A but the host names B
  // (host and header disagree before the token is looked at).
  for (const options of [{ host: hostOf(b.tenant) }, { headers: { 'x-tenant-id': b.tenant.tenantId } }]) {
    const reply = await call(api.url, 'GET', '/v1/courses', { ...options, token: a.admin.token });
    t.is(reply.status, 401, JSON.stringify(options));
    t.is(reply.body.code, 'token-tenant-mismatch', JSON.stringify(options));
  }
  const mixed = await call(api.url, 'GET', '/v1/courses', {
    host: hostOf(b.tenant),
    headers: { 'x-tenant-id': a.tenant.tenantId },
    token: a.admin.token,
  });
  t.is(mixed.status, 400);
  t.is(mixed.body.code, 'tenant-mismatch');

  // Under concurrency, each answer belongs to the tenant asked.
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, i) => {
      const [school, expected] = i % 2 ? [a, inA.course.id] : [b, inB.course.id];
      return school
        .as(school.admin)('GET', '/v1/courses')
        .then((r) => ({
          ok: r.status === 200 && r.body.items.length === 1 && r.body.items[0].id === expected,
        }));
    }),
  );
  t.true(replies.every((r) => r.ok));
});

test('concurrent writes for two tenants on two clusters land only in their own databases', async (t) => {
  const api = await world.startApi();
  const [a, b] = [await world.tenant(), await world.tenant({ cluster: world.clusters[1] })];
  const [tokenA, tokenB] = [await world.token(a), await world.token(b)];
  const writes = Array.from({ length: 20 }, (_, i) => {
    const [tenant, token] = i % 2 === 0 ? [a, tokenA] : [b, tokenB];
    return call(api.url, 'POST', '/v1/courses', {
      host: hostOf(tenant),
      token,
      body: { title: `${tenant.tenantId} course ${i}`, code: `C${i}` },
    });
  });
  const replies = await Promise.all(writes);
  t.true(
    replies.every((r) => r.status === 201),
    JSON.stringify(replies.find((r) => r.status !== 201)?.body),
  );

  for (const [tenant, client] of [
    [a, world.mongo[0]],
    [b, world.mongo[1]],
  ] as const) {
    const titles = await (client as MongoClient)
      .db(tenant.database ?? '')
      .collection('courses')
      .find()
      .map((c) => String(c.title))
      .toArray();
    t.is(titles.length, 10);
    t.true(titles.every((title) => title.startsWith(tenant.tenantId)));
  }
});
