import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { binaryPath } from '../harness/binaries.ts';
import { call, createWorld, hostOf, type World } from './fixtures.ts';
import { openSchool } from './school.ts';

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

/** Served beside the LMS routes but not one of them (/healthz, /readyz, /metrics are on the ops port). */
const OPS_ROUTES = new Set(['GET /openapi.json']);

test('every route the API serves is in the OpenAPI 3.1 document, and nothing else is', async (t) => {
  const api = await world.startApi();
  const reply = await call(api.url, 'GET', '/openapi.json');
  t.is(reply.status, 200);
  const doc = reply.body as { openapi: string; paths: Record<string, Record<string, { responses: object }>> };
  t.is(doc.openapi, '3.1.0');
  const documented = Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
  const served = api.api
    .mountedRoutes()
    .filter((r) => !OPS_ROUTES.has(r))
    .sort();
  t.true(served.length >= 30, `${served.length} routes`);
  t.deepEqual(served, documented);
  // Every operation documents its problem responses.
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      t.truthy((op.responses as Record<string, unknown>)['404'], `${method} ${path} documents 404`);
    }
  }
});

test('answers as the document says: 405 names the methods, a body must be JSON, inputs are validated before If-Match is compared', async (t) => {
  const api = await world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  const as = school.as(school.admin);

  const trace = await as('TRACE', '/v1/courses');
  t.is(trace.status, 405);
  t.is(trace.headers.allow, 'GET, HEAD, POST');
  // A literal path is not an id of the route beside it: PATCH /v1/users/import is a 405, not a 404.
  const patchImport = await as('PATCH', '/v1/users/import', { users: [] });
  t.is(patchImport.status, 405);
  t.is(patchImport.headers.allow, 'POST');
  const options = await as('OPTIONS', '/v1/users/import');
  t.is(options.headers.allow, 'POST');

  const text = await call(api.url, 'POST', '/v1/courses', {
    host: hostOf(school.tenant),
    token: school.admin.token,
    raw: 'title=x',
    headers: { 'content-type': 'text/plain' },
  });
  t.is(text.status, 415);
  t.is(text.body.code, 'unsupported-media-type');
  const none = await as('POST', '/v1/courses');
  t.is(none.status, 422);
  t.deepEqual(none.body.issues[0].path, ['body']);

  const created = await as('POST', '/v1/courses', { title: 'Algebra', code: 'ALG' });
  const id = created.body.id as string;
  const malformed = await as('PATCH', `/v1/courses/${id}`, { title: 'Geometry' }, { 'if-match': '0' });
  t.is(malformed.status, 422, 'a malformed If-Match is invalid input, not a failed precondition');
  t.deepEqual(malformed.body.issues[0].path, ['header', 'if-match']);
  const badBodyStale = await as('PATCH', `/v1/courses/${id}`, { title: 7 }, { 'if-match': '"9"' });
  t.is(badBodyStale.status, 422, 'the body is validated before the version is compared');
  t.is((await as('PATCH', `/v1/courses/${id}`, { title: 'Geometry' }, { 'if-match': '"9"' })).status, 412);
  t.is((await as('PATCH', `/v1/courses/${id}`, { title: 'Geometry' })).status, 428);

  const emptyKey = await as(
    'POST',
    '/v1/courses',
    { title: 'Biology', code: 'BIO' },
    { 'idempotency-key': '' },
  );
  t.is(emptyKey.status, 400, 'an empty Idempotency-Key is an invalid one, not none');
});

test('schemathesis, every check and the stateful phase: generated requests and sequences against the live API find no response outside the document', async (t) => {
  t.timeout(8 * 60_000);
  const api = await world.startApi({ ACCESS_TOKEN_TTL_S: '3600', RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  // Some real data, so generated ids and lists meet existing rows too.
  const teacher = await school.person('teacher');
  const course = await school.as(teacher)('POST', '/v1/courses', { title: 'Seed', code: 'SEED' });
  t.is(course.status, 201);

  const st = await binaryPath('st');
  // A new seed each run, printed so a failure can be replayed: ATRIUM_SCHEMATHESIS_SEED=<seed>.
  const seed = process.env.ATRIUM_SCHEMATHESIS_SEED ?? String(randomInt(2 ** 31));
  t.log(`schemathesis seed ${seed}`);
  const args = [
    // Statuses that depend on stored state, and the operations where 422 does (see the file).
    '--config-file',
    fileURLToPath(new URL('schemathesis.toml', import.meta.url)),
    'run',
    `${api.url}/openapi.json`,
    '--url',
    api.url,
    '--header',
    `X-Tenant-ID: ${school.tenant.tenantId}`,
    '--header',
    `Authorization: Bearer ${school.admin.token}`,
    '--checks',
    'all',
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    process.env.ATRIUM_SCHEMATHESIS_EXAMPLES ?? '10',
    '--workers',
    '2',
    '--seed',
    seed,
    // It would end the session of the token the run uses.
    '--exclude-operation-id',
    'changeMyPassword',
    '--no-color',
    // With a time budget, fuzzing and the stateful phase repeat until it is spent.
    ...(process.env.ATRIUM_SCHEMATHESIS_SECONDS
      ? ['--max-time', process.env.ATRIUM_SCHEMATHESIS_SECONDS]
      : []),
  ];
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    // Run where its report folder (.schemathesis/) lands outside the checkout.
    const child = spawn(st, args, { cwd: tmpdir(), env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      text += c.toString();
    });
    child.on('exit', (code) => resolve({ code, text }));
  });
  t.log(output.text.split('\n').slice(-12).join('\n'));
  const failures = /^=+ FAILURES =+$[\s\S]*?(?=^=+ (?:WARNINGS|SUMMARY) =+$)/m.exec(output.text)?.[0] ?? '';
  t.is(output.code, 0, `seed ${seed}\n${failures.slice(0, 12_000)}\n${output.text.slice(-3000)}`);
  t.false(api.logs.text.includes('"level":50'), 'no request failed with a server error');
});
