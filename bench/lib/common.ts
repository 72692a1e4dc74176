/**
 * Shared pieces of the benchmarks: a stack of real servers started and stopped by the script
 * itself, a quiet logger that still does the work of logging, percentiles, tables, memory.
 */
import { execFileSync, fork } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { logDestination } from '../../api/src/observability/logger.ts';
import { type Stack, startStack, toEnv } from '../../test/harness/stack.ts';
import type { LoadRequest, LoadResult } from './load-worker.ts';

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/**
 * Starts `clusters` FerretDB instances and Redis on loopback (or uses MONGO_URL/REDIS_URL), puts
 * their addresses where the test fixtures look for them, and stops them however the script ends.
 */
export async function benchStack(clusters: number, options: { faults?: boolean } = {}): Promise<Stack> {
  const started = Date.now();
  console.log(machine());
  const stack = await startStack({
    mongoClusters: clusters,
    kube: false,
    faults: options.faults ?? false,
    log,
  });
  Object.assign(process.env, toEnv(stack));
  log(`servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let closing: Promise<void> | undefined;
  const stop = stack.close.bind(stack);
  const close = (): Promise<void> => {
    closing ??= stop().then(() => {
      log('servers stopped');
    });
    return closing;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping servers`);
      close().finally(() => process.exit(130));
    });
  }
  return Object.assign(stack, { close });
}

/** Runs `main` with a stack, always stops it, and exits (pools and timers would keep us alive). */
export function runBench(
  clusters: number,
  main: (stack: Stack) => Promise<void>,
  options: { faults?: boolean } = {},
): void {
  (async () => {
    const stack = await benchStack(clusters, options);
    try {
      await main(stack);
    } finally {
      console.log(
        `\nload average at the end: ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
      );
      await stack.close();
    }
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      log(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}

/**
 * A pino logger that formats and writes every line like production does (JSON to a file
 * descriptor), but to /dev/null, so log cost is counted and the terminal stays readable.
 */
/** /dev/null through the same buffered destination the API logs to in production. */
export function devNull() {
  return logDestination('/dev/null');
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    mean,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Prints rows as an aligned table (first row = header). */
export function table(rows: Array<Array<string | number>>): void {
  const text = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = (text[0] ?? []).map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  for (const [i, r] of text.entries()) {
    console.log(
      r.map((c, j) => (j === 0 ? c.padEnd(widths[j] ?? 0) : c.padStart(widths[j] ?? 0))).join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

let gcFunction: (() => void) | undefined;
/** Full garbage collection, without needing --expose-gc on the command line. */
export function gc(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
  gcFunction();
}

export function memory() {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

export const MiB = 1024 * 1024;

/** Established TCP connections from this machine to 127.0.0.1:`port`, counted by the kernel. */
export function tcpConnectionsTo(port: number): number {
  const out = execFileSync('ss', ['-tnH', 'state', 'established', 'dst', `127.0.0.1:${port}`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

export function portOf(uri: string): number {
  return Number(new URL(uri).port);
}

/** Numbers given as `--name=value` on the command line or BENCH_NAME in the environment. */
export function option(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const raw = flag?.slice(name.length + 3) ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

const workerFile = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/**
 * Runs autocannon in a child process (its own event loop and core), so the load generator does
 * not steal the servers' event loop; returns its result.
 */
export function load(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerFile, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: LoadResult | undefined;
    child.on('message', (message) => {
      result = message as LoadResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`load worker exited with ${code} and no result`));
    });
    child.send(request);
  });
}

/** One line about the machine and how busy it is (other processes share its cores). */
export function machine(): string {
  return (
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, ` +
    `node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`
  );
}
