import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { binaryPath } from './binaries.ts';
import { freePort, type ManagedProcess, type RunDirectory, waitUntilReady } from './processes.ts';

export interface MongoServer {
  /** Admin URI with credentials, e.g. mongodb://atrium:…@127.0.0.1:port/?authSource=admin */
  readonly uri: string;
  readonly flavour: 'ferretdb' | 'mongodb';
  /** Present when this run started the server (absent for MONGO_URL). */
  readonly process?: ManagedProcess;
}

async function pingable(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

/**
 * FerretDB v1 on SQLite with authentication on (the "new auth" that implements createUser), so the
 * operator's user provisioning runs for real.
 */
export async function startFerretDB(run: RunDirectory, name: string): Promise<MongoServer> {
  const binary = await binaryPath('ferretdb');
  const password = randomBytes(12).toString('hex');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = run.dir(`${name}-${port}`);
    const proc = run.spawn(`${name}-${port}`, binary, [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
      '--test-enable-new-auth',
      '--setup-database=admin',
      '--setup-username=atrium',
      `--setup-password=${password}`,
    ]);
    const uri = `mongodb://atrium:${password}@127.0.0.1:${port}/?authSource=admin`;
    try {
      await waitUntilReady(proc, () => pingable(uri), 30_000);
      return { uri, flavour: 'ferretdb', process: proc };
    } catch (error) {
      lastError = error;
      await proc.stop();
    }
  }
  throw lastError;
}

/** A real mongod through mongodb-memory-server, where the machine has one (MONGOMS_SYSTEM_BINARY or PATH). */
export async function startMongod(name: string): Promise<MongoServer & { stop(): Promise<void> }> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create({
    auth: { enable: true, customRootName: 'atrium', customRootPwd: randomBytes(12).toString('hex') },
    instance: { ip: '127.0.0.1', dbName: name },
  });
  const credentials = server.auth;
  const base = new URL(server.getUri());
  base.username = credentials?.customRootName ?? 'atrium';
  base.password = credentials?.customRootPwd ?? '';
  base.pathname = '/';
  base.search = '?authSource=admin';
  return { uri: base.toString(), flavour: 'mongodb', stop: () => server.stop().then(() => undefined) };
}
