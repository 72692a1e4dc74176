/**
 * The test command: static checks, then real servers on free loopback ports, then ava with their
 * addresses in the environment. Servers are stopped however the run ends (pass, fail, Ctrl-C);
 * a run killed outright is swept by the next one.
 *
 *   npm test                      # everything
 *   npm test -- test/contract/    # some files (ava patterns)
 *   ATRIUM_SKIP_CHECKS=1 npm test -- …   # skip biome and tsc while iterating
 */
import { spawn } from 'node:child_process';
import { readAvaCounts } from './ava-counts.ts';
import { startStack, toEnv } from './stack.ts';

const log = (line: string) => process.stderr.write(`[test] ${line}\n`);

function runStep(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  onStdout?: (chunk: Buffer) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['inherit', onStdout ? 'pipe' : 'inherit', 'inherit'], env });
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      onStdout?.(chunk);
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function main(): Promise<number> {
  const patterns = process.argv.slice(2);
  if (!process.env.ATRIUM_SKIP_CHECKS) {
    log('biome check');
    if ((await runStep('npx', ['--no-install', 'biome', 'check', '.'])) !== 0) return 1;
    log('tsc --noEmit');
    if ((await runStep('npx', ['--no-install', 'tsc', '--noEmit', '-p', 'tsconfig.json'])) !== 0) return 1;
  }

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = Date.now();
  const stack = await startStack({ mongoClusters: 2, kube: true, faults: true, s3: true, log });
  log(`servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let avaOutput = '';
  let code = 1;
  try {
    if (interrupted) return 130;
    code = await runStep(
      'npx',
      ['--no-install', 'ava', ...patterns],
      { ...process.env, ...toEnv(stack) },
      (chunk) => {
        avaOutput += chunk.toString('utf8');
      },
    );
  } finally {
    await stack.close();
    log('servers stopped');
  }
  const counts = readAvaCounts(avaOutput);
  // A non-zero exit that ava did not count (a crash, a timeout) is still a failure.
  const failed = code !== 0 && counts.failed === 0 ? 1 : counts.failed;
  process.stdout.write(`tests: ${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped\n`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
