import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, type ManagedProcess, type RunDirectory, waitUntilReady } from './processes.ts';

export interface RedisServer {
  readonly url: string;
  readonly process?: ManagedProcess;
}

function redisBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('redis-server is not installed: run scripts/test.sh (it installs it with apt-get)');
  }
}

export async function startRedis(run: RunDirectory): Promise<RedisServer> {
  const binary = redisBinary();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = run.dir(`redis-${port}`);
    const proc = run.spawn(`redis-${port}`, binary, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ]);
    const url = `redis://127.0.0.1:${port}`;
    try {
      await waitUntilReady(
        proc,
        async () => {
          const client = new Redis(url, {
            lazyConnect: true,
            maxRetriesPerRequest: 0,
            retryStrategy: () => null,
          });
          client.on('error', () => {}); // refused connections are expected until it listens
          try {
            await client.connect();
            return (await client.ping()) === 'PONG';
          } finally {
            client.disconnect();
          }
        },
        10_000,
      );
      return { url, process: proc };
    } catch (error) {
      lastError = error;
      await proc.stop();
    }
  }
  throw lastError;
}
