import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import test from 'ava';
import { binaryPath } from '../harness/binaries.ts';

const exec = promisify(execFile);

test('skaffold.yaml parses and validates against skaffold v2.16 (schema v4beta13) in every profile', async (t) => {
  const skaffold = await binaryPath('skaffold');
  for (const profile of [[], ['-p', 'dev'], ['-p', 'production']]) {
    const { stdout } = await exec(skaffold, ['diagnose', '--yaml-only', ...profile], {
      maxBuffer: 8 * 1024 * 1024,
    });
    t.regex(stdout, /apiVersion: skaffold\/v4beta13/);
    for (const dockerfile of stdout.matchAll(/dockerfile: (\S+)/g)) {
      t.true(existsSync(String(dockerfile[1])), `${dockerfile[1]} exists`);
    }
    t.regex(stdout, /chartPath: \S+charts\/atrium/);
  }
  const { stdout: prod } = await exec(skaffold, ['diagnose', '--yaml-only', '-p', 'production']);
  t.regex(prod, /push: true/);
});
