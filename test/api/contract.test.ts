import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import test from 'ava';
import { binaryPath } from '../harness/binaries.ts';
import { call, createWorld, type World } from './fixtures.ts';
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

test('schemathesis: generated requests against the live API find no 5xx and no response outside its schema', async (t) => {
  const api = await world.startApi({ ACCESS_TOKEN_TTL_S: '3600', RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  // Some real data, so generated ids and lists meet existing rows too.
  const teacher = await school.person('teacher');
  const course = await school.as(teacher)('POST', '/v1/courses', { title: 'Seed', code: 'SEED' });
  t.is(course.status, 201);

  const st = await binaryPath('st');
  const maxTime = process.env.ATRIUM_SCHEMATHESIS_SECONDS ?? '60';
  const args = [
    'run',
    `${api.url}/openapi.json`,
    '--url',
    api.url,
    '--header',
    `X-Tenant-ID: ${school.tenant.tenantId}`,
    '--header',
    `Authorization: Bearer ${school.admin.token}`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-time',
    maxTime,
    '--workers',
    '2',
    '--seed',
    '20261125',
    '--exclude-operation-id',
    'changeMyPassword',
    '--no-color',
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
  t.is(output.code, 0, output.text.slice(-6000));
  t.false(api.logs.text.includes('"level":50'), 'no request failed with a server error');
});
