import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const script = 'scripts/build-servers.sh';
const TOOLS = [
  'ferretdb',
  'etcd',
  'kube',
  'helm',
  'helm3',
  'skaffold',
  'toxiproxy',
  'promtool',
  'schemathesis',
  'versitygw',
];

/**
 * scripts/build-servers.sh as a fresh machine runs it: an empty cache, nothing moved by hand, and
 * every installed binary executed from where the script left it. The Go build and pip caches are
 * warm by now (the test command built everything before the suites), so this takes about a
 * minute and a half, not the twenty of a truly cold machine.
 */
let cache: string;
test.before(() => {
  cache = mkdtempSync(join(tmpdir(), 'atrium-tools-'));
});
test.after.always(() => {
  if (cache) rmSync(cache, { recursive: true, force: true });
});

async function buildServers(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('bash', [script, ...args], {
    env: { ...process.env, ATRIUM_CACHE: cache },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
}

test.serial(
  'into an empty cache, every tool installs and each installed binary executes where it lies',
  async (t) => {
    t.timeout(20 * 60_000);
    await buildServers('test');
    // `verify` executes each tool from the cache (--version or its equivalent) and says what it answered.
    const { stdout } = await buildServers('verify', ...TOOLS);
    for (const tool of TOOLS) t.regex(stdout, new RegExp(`^${tool}: \\S`, 'm'), `${tool} answered`);
    t.notRegex(stdout, /FAILED/);
    // The paths the harness asks for are the binaries that were verified: run them too.
    for (const [binary, args] of [
      ['st', ['--version']],
      ['kubectl', ['version', '--client']],
      ['kube-apiserver', ['--version']],
      ['helm', ['version', '--short']],
    ] as const) {
      const { stdout: path } = await buildServers('path', binary);
      const { stdout: answer } = await run(path.trim(), [...args]);
      t.truthy(answer.trim(), `${binary} answers`);
    }
  },
);

test.serial(
  'a broken or half-written cache entry is found by executing it, and rebuilt with a log line',
  async (t) => {
    t.timeout(10 * 60_000);
    const dir = (tool: string, version: string) => join(cache, `${tool}-${version}`);
    // A virtualenv whose interpreter is gone (what moving it used to do), a truncated binary, and a
    // binary that runs but fails.
    unlinkSync(join(dir('schemathesis', '4.32.5'), 'bin', 'python3'));
    truncateSync(join(dir('ferretdb', 'v1.24.2'), 'ferretdb'), 4096);
    const etcd = dir('etcd', 'v3.6.16');
    rmSync(etcd, { recursive: true });
    mkdirSync(etcd);
    writeFileSync(join(etcd, 'etcd'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(etcd, 'etcd'), 0o755);

    const before = await buildServers('verify', 'schemathesis', 'ferretdb', 'etcd').catch(
      (error: { stdout: string }) => error,
    );
    for (const tool of ['schemathesis', 'ferretdb', 'etcd'])
      t.regex(before.stdout, new RegExp(`^${tool}: FAILED`, 'm'));

    const { stderr } = await buildServers('schemathesis', 'ferretdb', 'etcd');
    for (const tool of ['schemathesis', 'ferretdb', 'etcd']) {
      t.regex(
        stderr,
        new RegExp(`${tool}: the cached copy in \\S+ does not execute .*: removing it and rebuilding`),
      );
    }
    const { stdout: after } = await buildServers('verify', 'schemathesis', 'ferretdb', 'etcd');
    t.notRegex(after, /FAILED/);
  },
);
