import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const buildScript = join(fileURLToPath(new URL('../../scripts/build-servers.sh', import.meta.url)));

export type ServerBinary =
  | 'ferretdb'
  | 'etcd'
  | 'kube-apiserver'
  | 'kubectl'
  | 'helm'
  | 'helm3'
  | 'st'
  | 'toxiproxy-server'
  | 'promtool'
  | 'skaffold'
  | 'versitygw';

/** Path of a server binary built from the Go module proxy into the shared cache; builds it if missing. */
export async function binaryPath(name: ServerBinary): Promise<string> {
  const { stdout } = await run('bash', [buildScript, 'path', name], {
    maxBuffer: 16 * 1024 * 1024,
    env: process.env,
  });
  const path = stdout.trim().split('\n').pop();
  if (!path) throw new Error(`build-servers.sh printed no path for ${name}`);
  return path;
}
