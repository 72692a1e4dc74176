import { randomBytes } from 'node:crypto';
import { binaryPath } from './binaries.ts';
import { freePort, type ManagedProcess, type RunDirectory, waitUntilReady } from './processes.ts';

/**
 * versitygw (github.com/versity/versitygw, built by scripts/build-servers.sh): a real S3 API over
 * a local folder, with signed requests checked as AWS does. Tenant backups and media are tested
 * against it; address it path-style (`forcePathStyle`), as a gateway on a loopback port has no
 * per-bucket host names.
 */
export interface S3Address {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface S3Server extends S3Address {
  readonly process: ManagedProcess;
}

export async function startVersityGateway(run: RunDirectory): Promise<S3Server> {
  const binary = await binaryPath('versitygw');
  const accessKeyId = `atrium${randomBytes(4).toString('hex')}`;
  const secretAccessKey = randomBytes(20).toString('hex');
  const region = 'us-east-1';
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = run.dir(`versitygw-${port}`);
    const proc = run.spawn(`versitygw-${port}`, binary, ['--port', `127.0.0.1:${port}`, 'posix', dir], {
      ROOT_ACCESS_KEY: accessKeyId,
      ROOT_SECRET_KEY: secretAccessKey,
      VGW_REGION: region,
    });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      // An unsigned request is refused (403), as on AWS: any HTTP answer means it is serving.
      await waitUntilReady(proc, async () => (await fetch(endpoint)).status > 0, 15_000);
      return { endpoint, region, accessKeyId, secretAccessKey, process: proc };
    } catch (error) {
      lastError = error;
      await proc.stop();
    }
  }
  throw lastError;
}
