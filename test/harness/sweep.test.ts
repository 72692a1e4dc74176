import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import test from 'ava';
import { eventually } from './eventually.ts';
import { STACK_ROOT, sweepStaleRuns } from './processes.ts';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('a run killed outright leaves nothing behind once the next run sweeps', async (t) => {
  // A child process starts Redis through the harness, reports where, and is then SIGKILLed:
  // no exit hook of its own runs, as after a crash or `kill -9` of the test command.
  const script = `
    import { RunDirectory } from './test/harness/processes.ts';
    import { startRedis } from './test/harness/redis.ts';
    const run = new RunDirectory();
    const redis = await startRedis(run);
    console.log(JSON.stringify({ dir: run.path, port: Number(new URL(redis.url).port) }));
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (chunk: string) => resolve(chunk.trim()));
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  const { dir, port } = JSON.parse(line) as { dir: string; port: number };
  t.true(dir.startsWith(STACK_ROOT));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  t.true(await accepts(port), 'the orphaned server outlives its owner');
  t.true(existsSync(dir));

  const swept = sweepStaleRuns();
  t.true(swept.includes(dir));
  t.false(existsSync(dir));
  // SIGKILL is delivered at once, but the socket closes as the process is reaped.
  const open = await eventually(
    'the orphaned server closing its port',
    () => accepts(port),
    (open) => !open,
    { timeoutMs: 5_000, intervalMs: 100 },
  );
  t.false(open, 'the orphaned server was killed');
});
