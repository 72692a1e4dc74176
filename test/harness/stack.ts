import { execFileSync } from 'node:child_process';
import { startKube } from './kube.ts';
import { type MongoServer, startFerretDB, startMongod } from './mongo.ts';
import { RunDirectory } from './processes.ts';
import { startRedis } from './redis.ts';
import { type S3Address, startVersityGateway } from './s3.ts';
import { startToxiproxy } from './toxiproxy.ts';

/** What the tests receive, through the environment variables named in `toEnv`. */
export interface StackAddresses {
  mongoUris: string[];
  mongoFlavour: 'ferretdb' | 'mongodb';
  redisUrl: string;
  kubeconfig?: string;
  kubectl?: string;
  /** Toxiproxy's HTTP API, for tests that put faults between Atrium and a dependency. */
  toxiproxyUrl?: string;
  /** S3-compatible storage (versitygw), for tenant backups and media. */
  s3?: S3Address;
}

export interface StackOptions {
  mongoClusters: number;
  kube: boolean;
  /** Start Toxiproxy too (the tests' fault injection). */
  faults?: boolean;
  /** Start versitygw too (S3-compatible storage). */
  s3?: boolean;
  log?: (line: string) => void;
}

export interface Stack extends StackAddresses {
  readonly run: RunDirectory;
  close(): Promise<void>;
}

function hasMongod(): boolean {
  if (process.env.MONGOMS_SYSTEM_BINARY) return true;
  try {
    execFileSync('sh', ['-c', 'command -v mongod'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the real servers a test run or the local stack needs, on free loopback ports, in parallel.
 * External servers win where given: MONGO_URL (one URI or a comma list), REDIS_URL, KUBECONFIG.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const run = new RunDirectory();
  const closers: Array<() => Promise<void>> = [];
  try {
    const mongo = (async (): Promise<{ uris: string[]; flavour: 'ferretdb' | 'mongodb' }> => {
      if (process.env.MONGO_URL) {
        log('MongoDB: using MONGO_URL');
        return {
          uris: process.env.MONGO_URL.split(',').map((u) => u.trim()),
          flavour: (process.env.MONGO_FLAVOUR as 'ferretdb' | 'mongodb' | undefined) ?? 'mongodb',
        };
      }
      const servers: MongoServer[] = [];
      if (hasMongod()) {
        for (let i = 0; i < options.mongoClusters; i++) {
          const server = await startMongod(`cluster-${i}`);
          closers.push(server.stop);
          servers.push(server);
        }
      } else {
        servers.push(
          ...(await Promise.all(
            Array.from({ length: options.mongoClusters }, (_, i) => startFerretDB(run, `ferretdb-${i}`)),
          )),
        );
      }
      log(`MongoDB: ${servers.length} × ${servers[0]?.flavour} ready`);
      return { uris: servers.map((s) => s.uri), flavour: servers[0]?.flavour ?? 'ferretdb' };
    })();
    const redis = (async () => {
      if (process.env.REDIS_URL) return process.env.REDIS_URL;
      const server = await startRedis(run);
      log(`Redis: ready at ${server.url}`);
      return server.url;
    })();
    const kube = (async () => {
      if (!options.kube) return undefined;
      if (process.env.KUBECONFIG) return { kubeconfig: process.env.KUBECONFIG, kubectl: 'kubectl' };
      const server = await startKube(run);
      log(`Kubernetes: kube-apiserver ready at ${server.server}`);
      return server;
    })();
    const toxiproxy = (async () => {
      if (!options.faults) return undefined;
      if (process.env.TOXIPROXY_URL) return process.env.TOXIPROXY_URL;
      const server = await startToxiproxy(run);
      log(`Toxiproxy: ready at ${server.url}`);
      return server.url;
    })();
    const s3 = (async () => {
      if (!options.s3) return undefined;
      const { endpoint, region, accessKeyId, secretAccessKey } = await startVersityGateway(run);
      log(`S3 (versitygw): ready at ${endpoint}`);
      return { endpoint, region, accessKeyId, secretAccessKey };
    })();
    const [m, r, k, x, s] = await Promise.all([mongo, redis, kube, toxiproxy, s3]);
    return {
      run,
      mongoUris: m.uris,
      mongoFlavour: m.flavour,
      redisUrl: r,
      ...(k ? { kubeconfig: k.kubeconfig, kubectl: k.kubectl } : {}),
      ...(x ? { toxiproxyUrl: x } : {}),
      ...(s ? { s3: s } : {}),
      close: async () => {
        await Promise.allSettled(closers.map((c) => c()));
        await run.close();
      },
    };
  } catch (error) {
    await Promise.allSettled(closers.map((c) => c()));
    await run.close();
    throw error;
  }
}

export function toEnv(stack: StackAddresses): Record<string, string> {
  return {
    ATRIUM_TEST_MONGO_URIS: stack.mongoUris.join(','),
    ATRIUM_TEST_MONGO_FLAVOUR: stack.mongoFlavour,
    ATRIUM_TEST_REDIS_URL: stack.redisUrl,
    ...(stack.kubeconfig ? { ATRIUM_TEST_KUBECONFIG: stack.kubeconfig } : {}),
    ...(stack.kubectl ? { ATRIUM_TEST_KUBECTL: stack.kubectl } : {}),
    ...(stack.toxiproxyUrl ? { ATRIUM_TEST_TOXIPROXY_URL: stack.toxiproxyUrl } : {}),
    ...(stack.s3
      ? {
          ATRIUM_TEST_S3_ENDPOINT: stack.s3.endpoint,
          ATRIUM_TEST_S3_REGION: stack.s3.region,
          ATRIUM_TEST_S3_ACCESS_KEY_ID: stack.s3.accessKeyId,
          ATRIUM_TEST_S3_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
        }
      : {}),
  };
}
