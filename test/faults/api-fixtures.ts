import { type ChildProcess, spawn } from 'node:child_process';
import { type Agent, Agent as HttpAgent, request } from 'node:http';
import type { RunningApi, StartOptions } from '../../api/src/app/server.ts';
import { type CapturedLogs, createWorld, hostOf, type World } from '../api/fixtures.ts';
import { openSchool, type School } from '../api/school.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { hostOf as addressOf, type FaultyLink, Toxiproxy, through } from '../harness/toxiproxy.ts';

type Teardown = { teardown: (fn: () => Promise<void> | void) => void };

/**
 * Short deadlines and timeouts for fault tests: every bound a test asserts is derived from these,
 * never from how fast the machine is.
 */
export const FAULT_ENV = {
  REQUEST_DEADLINE_MS: '2000',
  POOL_SERVER_SELECTION_TIMEOUT_MS: '1000',
  POOL_WAIT_QUEUE_TIMEOUT_MS: '1000',
  POOL_CONNECT_TIMEOUT_MS: '1000',
  BREAKER_FAILURES: '3',
  BREAKER_COOLDOWN_MS: '1000',
  REDIS_COMMAND_TIMEOUT_MS: '500',
  REDIS_HEARTBEAT_MS: '500',
  // The tests' own cache of tenants must not hide a registry fault for longer than a test runs.
  TENANT_CACHE_TTL_MS: '30000',
} as const;

/** How much later than its deadline a request may be answered: scheduling, not waiting. */
export const SLACK_MS = 2_000;

/**
 * An API pod whose every dependency is reached through a Toxiproxy link of this test: each MongoDB
 * cluster, the registry and Redis. The world's own clients (seeding, checking what was written)
 * connect directly, so a fault between the pod and a dependency never blinds the test.
 */
export interface FaultyWorld {
  readonly world: World;
  readonly proxies: Toxiproxy;
  /** One link per cluster, in the world's cluster order (cluster-0, cluster-1). */
  readonly clusters: FaultyLink[];
  readonly registry: FaultyLink;
  readonly redis: FaultyLink;
  /** The environment that points a pod through the links (for pods started as processes). */
  env(overrides?: Record<string, string>): Record<string, string>;
  startApi(
    env?: Record<string, string>,
    options?: StartOptions,
  ): Promise<RunningApi & { logs: CapturedLogs }>;
  /**
   * A tenant with an admin who has logged in, on cluster `cluster` (index), served by `api`. It is
   * set up (accounts, password change, logins: scrypt and first-use work that a loaded machine can
   * make slow) through a pod of its own without faults or short deadlines; `api` is then warmed up
   * with the tenant (its cache, handle and pool) before it is handed over.
   */
  school(api: RunningApi, cluster?: number): Promise<School>;
}

export async function faultyWorld(t: Teardown): Promise<FaultyWorld> {
  const proxies = new Toxiproxy(testServers.toxiproxyUrl());
  // Teardowns run last first: the pods stop before their links go away.
  t.teardown(() => proxies.close());
  const world = await createWorld();
  t.teardown(() => world.close());
  const uris = testServers.mongoUris();
  const clusters = await Promise.all(
    uris.map((uri, i) => proxies.link(uniqueName(`cluster${i}`), addressOf(uri))),
  );
  const registry = await proxies.link(uniqueName('registry'), addressOf(uris[0] ?? ''));
  const redis = await proxies.link(uniqueName('redis'), addressOf(testServers.redisUrl()));
  let setup: Promise<RunningApi> | undefined;
  const env = (overrides: Record<string, string> = {}) => ({
    ...FAULT_ENV,
    REGISTRY_MONGO_URI: through(uris[0] ?? '', registry.address),
    REDIS_URL: through(testServers.redisUrl(), redis.address),
    CLUSTER_URIS: JSON.stringify(
      Object.fromEntries(
        world.clusters.map((name, i) => [name, through(uris[i] ?? '', clusters[i]?.address ?? '')]),
      ),
    ),
    ...overrides,
  });
  return {
    world,
    proxies,
    clusters,
    registry,
    redis,
    env,
    startApi: (overrides = {}, options = {}) => world.startApi(env(overrides), options),
    async school(api, cluster = 0) {
      setup ??= world.startApi();
      const school = await openSchool(world, await setup, {
        cluster: world.clusters[cluster] ?? 'cluster-0',
      });
      await eventually(
        'the pod under test serves the new tenant',
        () =>
          timedCall(api.url, 'GET', '/v1/courses', {
            host: hostOf(school.tenant),
            token: school.admin.token,
          }),
        (reply) => reply.status === 200,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      return { ...school, api };
    },
  };
}

export interface TimedReply {
  /** 0 when no response came: `error` says why. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read problem and resource bodies field by field
  body: any;
  ms: number;
  error?: string;
}

/**
 * One request that gives up after `timeoutMs` (a hung server must fail the test, not hang it),
 * timed from before the connection to the last byte of the response.
 */
export function timedCall(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    host?: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
    /** Connections kept alive between requests (a proxy's pool), instead of one per request. */
    agent?: Agent;
  } = {},
): Promise<TimedReply> {
  const started = performance.now();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const done = (reply: Omit<TimedReply, 'ms'>) =>
      resolve({ ...reply, ms: Math.round(performance.now() - started) });
    const req = request(new URL(path, baseUrl), {
      method,
      ...(options.agent ? { agent: options.agent } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      headers: {
        ...(options.host ? { host: options.host } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON
        }
        done({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', (error) => done({ status: 0, headers: {}, body: undefined, error: error.message }));
    });
    req.on('error', (error) => done({ status: 0, headers: {}, body: undefined, error: error.message }));
    req.end(payload);
  });
}

/** `timedCall` as a school's person: the tenant's host and their token. */
export function asPerson(school: School, token: string | undefined, timeoutMs: number) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    timedCall(school.api.url, method, path, {
      host: hostOf(school.tenant),
      ...(token ? { token } : {}),
      ...(body === undefined ? {} : { body }),
      headers,
      timeoutMs,
    });
}

/** A short summary of replies for assertion messages: status, code and time of each. */
export function summary(replies: TimedReply[]): string {
  return replies
    .map(
      (r) => `${r.status}${r.body?.code ? ` ${r.body.code}` : ''}${r.error ? ` (${r.error})` : ''} ${r.ms}ms`,
    )
    .join(', ');
}

/** An API pod as its own process (`api/src/main.ts`), as Kubernetes runs it. */
export interface PodProcess {
  readonly url: string;
  readonly opsUrl: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `api/src/main.ts` with `env` (merged over what any pod needs to reach the world) and
 * waits for its 'listening' line. Killed at teardown if still running.
 */
export async function startPodProcess(
  t: Teardown,
  world: World,
  env: Record<string, string>,
): Promise<PodProcess> {
  const child = spawn(process.execPath, ['--import=tsx', 'api/src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      OPS_PORT: '0',
      OPS_HOST: '127.0.0.1',
      BASE_DOMAIN: 'lms.test',
      REGISTRY_MONGO_URI: testServers.mongoUris()[0] ?? '',
      REGISTRY_DATABASE: world.registryDatabase,
      REDIS_URL: testServers.redisUrl(),
      ATRIUM_REGISTRY_KEYS: world.keys,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // 'close', not 'exit': what it printed last may still be in the pipe when it has exited.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await eventually(
    'the pod process is listening',
    () => ({ out, exitCode: child.exitCode }),
    (seen) => seen.out.includes('"msg":"listening"') || seen.exitCode !== null,
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
  if (!line) throw new Error(`the pod exited before listening:\n${out.slice(-3000)}`);
  const { url, opsUrl } = JSON.parse(line) as { url: string; opsUrl: string };
  return { url, opsUrl, child, output: () => out, exited };
}

/**
 * What Kubernetes puts in front of the pods, as far as a rolling restart is concerned: a Service
 * whose endpoints are the pods that answer /readyz (polled every `pollMs`, as the endpoints
 * controller and kube-proxy would learn of it, late), and a client pool of keep-alive connections
 * (an ingress's upstream keep-alive) spread round-robin over them.
 */
export class PodBalancer {
  readonly #pods = new Map<PodProcess, boolean>();
  readonly #timer: NodeJS.Timeout;
  readonly agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  #next = 0;

  constructor(readonly pollMs = 100) {
    this.#timer = setInterval(() => void this.#poll(), pollMs);
  }

  add(pod: PodProcess): void {
    this.#pods.set(pod, false);
  }

  remove(pod: PodProcess): void {
    this.#pods.delete(pod);
  }

  async waitReady(pod: PodProcess): Promise<void> {
    await eventually('the pod is among the endpoints', () => this.#pods.get(pod), Boolean, {
      timeoutMs: 30_000,
    });
  }

  /** The next ready pod, or undefined when none is. */
  pick(): PodProcess | undefined {
    const ready = [...this.#pods].filter(([, isReady]) => isReady).map(([pod]) => pod);
    if (ready.length === 0) return undefined;
    this.#next = (this.#next + 1) % ready.length;
    return ready[this.#next];
  }

  /** One request to a ready pod (waiting while there is none), through the pool of connections. */
  async call(
    method: string,
    path: string,
    options: Omit<Parameters<typeof timedCall>[3], 'agent'> = {},
  ): Promise<TimedReply & { pod: string }> {
    let pod = this.pick();
    while (!pod) {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      pod = this.pick();
    }
    return { ...(await timedCall(pod.url, method, path, { ...options, agent: this.agent })), pod: pod.url };
  }

  close(): void {
    clearInterval(this.#timer);
    this.agent.destroy();
  }

  async #poll(): Promise<void> {
    await Promise.all(
      [...this.#pods.keys()].map(async (pod) => {
        const ready = await fetch(`${pod.opsUrl}/readyz`, { signal: AbortSignal.timeout(this.pollMs * 5) })
          .then((r) => r.ok)
          .catch(() => false);
        if (this.#pods.has(pod)) this.#pods.set(pod, ready);
      }),
    );
  }
}
