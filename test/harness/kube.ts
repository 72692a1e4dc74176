import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { binaryPath } from './binaries.ts';
import { freePort, type ManagedProcess, type RunDirectory, waitUntilReady } from './processes.ts';

export interface KubeServer {
  /** Kubeconfig for a cluster-admin user (token auth, group system:masters). */
  readonly kubeconfig: string;
  readonly server: string;
  readonly caFile: string;
  readonly adminToken: string;
  readonly kubectl: string;
  readonly processes: ManagedProcess[];
}

function httpsGet(url: string, token: string, caFile?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        headers: { authorization: `Bearer ${token}` },
        // Until the apiserver has written its self-signed certificate there is nothing to pin.
        ...(caFile && existsSync(caFile) ? { ca: readFileSync(caFile) } : { rejectUnauthorized: false }),
        timeout: 2_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function startEtcd(run: RunDirectory): Promise<{ url: string; process: ManagedProcess }> {
  const binary = await binaryPath('etcd');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [client, peer] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    const proc = run.spawn(`etcd-${client}`, binary, [
      `--data-dir=${run.dir(`etcd-${client}`)}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    try {
      await waitUntilReady(
        proc,
        async () => {
          const res = await fetch(`${url}/health`);
          return res.ok && ((await res.json()) as { health?: string }).health === 'true';
        },
        20_000,
      );
      return { url, process: proc };
    } catch (error) {
      lastError = error;
      await proc.stop();
    }
  }
  throw lastError;
}

/**
 * etcd plus kube-apiserver with token authentication and RBAC on, the way envtest runs them, so
 * the operator's ClusterRole is enforced for real. There is no kubelet: pods never run.
 */
export async function startKube(run: RunDirectory): Promise<KubeServer> {
  const [apiserver, kubectl] = [await binaryPath('kube-apiserver'), await binaryPath('kubectl')];
  const etcd = await startEtcd(run);
  const dir = run.dir('kube');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const adminToken = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin,"system:masters"\n`);

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const certDir = run.dir(`kube/certs-${port}`);
    const proc = run.spawn(`kube-apiserver-${port}`, apiserver, [
      `--etcd-servers=${etcd.url}`,
      `--etcd-prefix=/atrium-${port}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--secure-port=${port}`,
      `--cert-dir=${certDir}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--v=0',
    ]);
    const server = `https://127.0.0.1:${port}`;
    const caFile = join(certDir, 'apiserver.crt');
    try {
      await waitUntilReady(
        proc,
        async () => {
          const res = await httpsGet(`${server}/readyz`, adminToken, caFile);
          return res.status === 200;
        },
        90_000,
      );
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigFor(server, caFile, 'admin', adminToken));
      return { kubeconfig, server, caFile, adminToken, kubectl, processes: [etcd.process, proc] };
    } catch (error) {
      lastError = error;
      await proc.stop();
    }
  }
  await etcd.process.stop();
  throw lastError;
}

/** A kubeconfig that talks to `server` as the holder of `token`, pinning the apiserver's certificate. */
export function kubeconfigFor(server: string, caFile: string, user: string, token: string): string {
  const ca = readFileSync(caFile).toString('base64');
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'atrium-test', cluster: { server, 'certificate-authority-data': ca } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'atrium-test', context: { cluster: 'atrium-test', user } }],
      'current-context': 'atrium-test',
    },
    null,
    2,
  );
}
