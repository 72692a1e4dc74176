import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { createWorld, type World } from '../api/fixtures.ts';
import { testServers } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { freePort } from '../harness/processes.ts';

const run = promisify(execFile);

/**
 * What the Dockerfiles do, without a Docker engine: compile with tsc into dist/, install
 * production dependencies only (npm ci --omit=dev) in a scratch directory, then start the
 * entrypoint from there. A dependency that is only in devDependencies, or an import the
 * compiled output cannot resolve, fails here as it would in the image.
 */
let world: World;
let scratch: string;
test.before(async () => {
  world = await createWorld();
  scratch = mkdtempSync(join(tmpdir(), 'atrium-image-'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(file, join(scratch, file));
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
    cwd: scratch,
    maxBuffer: 32 * 1024 * 1024,
  });
  await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.build.json', '--outDir', join(scratch, 'dist')], {
    maxBuffer: 32 * 1024 * 1024,
  });
});
test.after.always(async () => {
  await world?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Starts a compiled entrypoint from the scratch build, collecting what it prints; killed at teardown. */
function startEntrypoint(
  t: { teardown: (fn: () => void) => void },
  entrypoint: string,
  env: Record<string, string>,
) {
  const child = spawn(process.execPath, [entrypoint], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
  });
  let out = '';
  const collect = (c: Buffer) => {
    out += c.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return { child, output: () => out };
}

async function waitFor(
  output: () => string,
  pattern: RegExp,
  child: ChildProcess,
  ms = 30_000,
): Promise<void> {
  await eventually(
    `${pattern} in the output, or an exit`,
    () => ({ output: output(), exitCode: child.exitCode }),
    (seen) => pattern.test(seen.output) || seen.exitCode !== null,
    { timeoutMs: ms },
  );
  if (!pattern.test(output())) throw new Error(`exited ${child.exitCode}:\n${output()}`);
}

test('the API image entrypoint starts from production dependencies alone and serves', async (t) => {
  const { child, output } = startEntrypoint(t, 'dist/api/src/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    OPS_PORT: '0',
    OPS_HOST: '127.0.0.1',
    REGISTRY_MONGO_URI: testServers.mongoUris()[0] ?? '',
    REGISTRY_DATABASE: world.registryDatabase,
    REDIS_URL: testServers.redisUrl(),
    ATRIUM_REGISTRY_KEYS: world.keys,
  });
  await waitFor(output, /"msg":"listening"/, child);
  const { url, opsUrl } = JSON.parse(
    output()
      .split('\n')
      .find((l) => l.includes('"listening"')) ?? '{}',
  ) as { url: string; opsUrl: string };
  t.is((await fetch(`${opsUrl}/healthz`)).status, 200);
  t.is((await fetch(`${url}/healthz`)).status, 404, 'not on the public port');
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string };
  t.is(doc.openapi, '3.1.0');
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  t.is(code, 0);
});

test('the operator image entrypoint starts from production dependencies alone and answers /healthz', async (t) => {
  const port = await freePort();
  const { child, output } = startEntrypoint(t, 'dist/operator/src/main.js', {
    KUBECONFIG: testServers.kubeconfig(),
    REGISTRY_MONGO_URI: testServers.mongoUris()[0] ?? '',
    REGISTRY_DATABASE: world.registryDatabase,
    REDIS_URL: testServers.redisUrl(),
    ATRIUM_REGISTRY_KEYS: world.keys,
    POD_NAMESPACE: 'default',
    WATCH_NAMESPACE: 'atrium-image-test-none',
    MONGOCLUSTER_SELECTOR: 'atrium.dev/image-test=none',
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    LEASE_NAME: `image-test-${port}`,
  });
  await waitFor(output, /"msg":"listening"/, child);
  t.is((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  t.is(code, 0, output().slice(-2000));
});
