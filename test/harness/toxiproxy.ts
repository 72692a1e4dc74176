import { binaryPath } from './binaries.ts';
import { freePort, type ManagedProcess, type RunDirectory, waitUntilReady } from './processes.ts';

/**
 * Toxiproxy (github.com/Shopify/toxiproxy, built by scripts/build-servers.sh): a TCP proxy whose
 * connections tests slow down, black-hole, reset or cut, on live connections. A test puts a
 * proxy of its own between Atrium and a dependency (a MongoDB cluster, the registry, Redis, the
 * kube-apiserver), points Atrium at the proxy, and adds and removes faults — nothing is faked.
 */
export interface ToxiproxyServer {
  /** The HTTP API, e.g. http://127.0.0.1:8474 */
  readonly url: string;
  readonly process?: ManagedProcess;
}

export async function startToxiproxy(run: RunDirectory): Promise<ToxiproxyServer> {
  const binary = await binaryPath('toxiproxy-server');
  const port = await freePort();
  const proc = run.spawn(`toxiproxy-${port}`, binary, ['-host', '127.0.0.1', '-port', String(port)]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(
    proc,
    async () => {
      const response = await fetch(`${url}/version`).catch(() => undefined);
      return response?.ok === true;
    },
    10_000,
  );
  return { url, process: proc };
}

export type ToxicType =
  | 'latency'
  | 'bandwidth'
  | 'timeout'
  | 'reset_peer'
  | 'slow_close'
  | 'slicer'
  | 'limit_data';

export interface Toxic {
  readonly type: ToxicType;
  /** Which direction: from the dependency to Atrium (downstream, the default) or the other way. */
  readonly stream?: 'upstream' | 'downstream';
  readonly attributes?: Readonly<Record<string, number>>;
  /** Probability the toxic applies to a connection (default 1). */
  readonly toxicity?: number;
}

/** One proxy: `address` (host:port) is where Atrium connects instead of the dependency. */
export class FaultyLink {
  readonly name: string;
  readonly address: string;
  readonly #api: string;

  constructor(api: string, name: string, address: string) {
    this.#api = api;
    this.name = name;
    this.address = address;
  }

  /** Adds a fault; returns its name (to remove it alone). */
  async add(toxic: Toxic, name = `${toxic.type}_${toxic.stream ?? 'downstream'}`): Promise<string> {
    await call(this.#api, 'POST', `/proxies/${this.name}/toxics`, {
      name,
      type: toxic.type,
      stream: toxic.stream ?? 'downstream',
      toxicity: toxic.toxicity ?? 1,
      attributes: toxic.attributes ?? {},
    });
    return name;
  }

  async remove(toxicName: string): Promise<void> {
    await call(this.#api, 'DELETE', `/proxies/${this.name}/toxics/${toxicName}`);
  }

  /** A black hole: bytes in both directions go nowhere and no connection closes (a partition). */
  async stall(): Promise<void> {
    await this.add({ type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } }, 'stall_down');
    await this.add({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } }, 'stall_up');
  }

  /** Removes every fault; connections black-holed meanwhile stay dead, new ones work. */
  async heal(): Promise<void> {
    const proxy = (await call(this.#api, 'GET', `/proxies/${this.name}`)) as {
      toxics: Array<{ name: string }>;
    };
    for (const toxic of proxy.toxics) await this.remove(toxic.name);
    await this.enable();
  }

  /** Cuts every connection and refuses new ones, as a dead server does. */
  async disable(): Promise<void> {
    await call(this.#api, 'POST', `/proxies/${this.name}`, { enabled: false });
  }

  async enable(): Promise<void> {
    await call(this.#api, 'POST', `/proxies/${this.name}`, { enabled: true });
  }

  async close(): Promise<void> {
    await call(this.#api, 'DELETE', `/proxies/${this.name}`).catch(() => undefined);
  }
}

/** A client of one Toxiproxy server, for the proxies of one test. */
export class Toxiproxy {
  readonly #api: string;
  readonly #links: FaultyLink[] = [];

  constructor(api: string) {
    this.#api = api;
  }

  /** A new proxy in front of `upstream` (host:port), listening on a free loopback port. */
  async link(name: string, upstream: string): Promise<FaultyLink> {
    const created = (await call(this.#api, 'POST', '/proxies', {
      name,
      listen: '127.0.0.1:0',
      upstream,
      enabled: true,
    })) as { listen: string };
    const link = new FaultyLink(this.#api, name, created.listen);
    this.#links.push(link);
    return link;
  }

  /** Removes this client's proxies (their connections close). */
  async close(): Promise<void> {
    await Promise.all(this.#links.map((link) => link.close()));
  }
}

async function call(api: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${api}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok)
    throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** The host:port of a mongodb:// or redis:// URL. */
export function hostOf(uri: string): string {
  const match = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?,]+)/i.exec(uri);
  if (!match?.[1]) throw new Error('not a URL with a host');
  return match[1];
}

/** `uri` with its host:port replaced by `address` (a proxy's). */
export function through(uri: string, address: string): string {
  return uri.replace(hostOf(uri), address);
}
