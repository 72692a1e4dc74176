import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { TYPESCRIPT_CLIENT_PATH, typescriptClientTypes } from '../../scripts/lib/typescript-client.ts';
import { createWorld, type World } from './fixtures.ts';
import { openSchool } from './school.ts';

const root = new URL('../../', import.meta.url);
let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

test('the committed TypeScript types are the ones the route specs generate (npm run client)', async (t) => {
  t.is(await readFile(TYPESCRIPT_CLIENT_PATH, 'utf8'), await typescriptClientTypes());
});

test('the typed example of docs/api.md compiles under tsc --strict and creates a course on a live API', async (t) => {
  t.timeout(3 * 60_000);
  const docs = await readFile(new URL('docs/api.md', root), 'utf8');
  const example = /<!-- typed-client-example -->\n```ts\n([\s\S]*?)```/.exec(docs)?.[1];
  if (!example) return t.fail('docs/api.md has no typed-client example');

  const dir = await mkdtemp(join(tmpdir(), 'atrium-typed-client-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await copyFile(TYPESCRIPT_CLIENT_PATH, join(dir, 'atrium.d.ts'));
  await writeFile(join(dir, 'example.ts'), example);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        types: ['node'],
        typeRoots: [fileURLToPath(new URL('node_modules/@types', root))],
        outDir: 'out',
      },
      files: ['example.ts'],
    }),
  );
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  const tsc = fileURLToPath(new URL('node_modules/.bin/tsc', root));
  await promisify(execFile)(tsc, ['-p', join(dir, 'tsconfig.json')]).catch((error: { stdout?: string }) => {
    throw new Error(`the example does not compile:\n${error.stdout ?? String(error)}`);
  });

  const { createCourse } = (await import(pathToFileURL(join(dir, 'out', 'example.js')).href)) as {
    createCourse: (
      api: string,
      tenant: string,
      token: string,
      course: { title: string; code: string },
    ) => Promise<{ id: string; title: string; code: string }>;
  };
  const api = await world.startApi({ RATE_LIMITS: '{}' });
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const course = await createCourse(api.url, school.tenant.tenantId, teacher.token, {
    title: 'Typed',
    code: 'TYPED',
  });
  t.is(course.title, 'Typed');
  t.is((await school.as(teacher)('GET', `/v1/courses/${course.id}`)).body.code, 'TYPED');
  await t.throwsAsync(
    createCourse(api.url, school.tenant.tenantId, teacher.token, { title: 'Again', code: 'TYPED' }),
    { message: '409 conflict' },
  );
});
