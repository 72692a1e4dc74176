import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { binaryPath } from '../harness/binaries.ts';
import { testServers } from '../harness/env.ts';

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

test('skaffold render deploys the chart through Helm with the built images pinned by digest', async (t) => {
  // No Docker engine here: the build's output is given as skaffold's own artifacts file.
  const skaffold = await binaryPath('skaffold');
  const helm3 = await binaryPath('helm3');
  const dir = mkdtempSync(join(tmpdir(), 'atrium-skaffold-'));
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const artifacts = join(dir, 'artifacts.json');
  writeFileSync(
    artifacts,
    JSON.stringify({
      builds: [
        { imageName: 'atrium-api', tag: `registry.example/atrium-api:abc1234@${digest('1')}` },
        { imageName: 'atrium-operator', tag: `registry.example/atrium-operator:abc1234@${digest('2')}` },
      ],
    }),
  );
  const env = {
    ...process.env,
    // skaffold v2 drives Helm 3 (it asks `helm version --client`); it reads the cluster's version.
    PATH: `${dirname(helm3)}:${process.env.PATH}`,
    KUBECONFIG: testServers.kubeconfig(),
    SKAFFOLD_UPDATE_CHECK: 'false',
  };
  for (const profile of [[], ['-p', 'dev']]) {
    const { stdout } = await exec(
      skaffold,
      ['render', '--build-artifacts', artifacts, '--digest-source=none', ...profile],
      { env, maxBuffer: 32 * 1024 * 1024 },
    );
    t.regex(stdout, new RegExp(`image: "?registry\\.example/atrium-api:abc1234@${digest('1')}`));
    t.regex(stdout, new RegExp(`image: "?registry\\.example/atrium-operator:abc1234@${digest('2')}`));
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ClusterRole', 'Secret']) {
      t.regex(
        stdout,
        new RegExp(`^kind: ${kind}$`, 'm'),
        `${kind} rendered (${profile.join(' ') || 'default'})`,
      );
    }
  }
});
