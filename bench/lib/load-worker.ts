/**
 * The load generator, run in a child process by `load()` in common.ts: autocannon against one URL,
 * either with fixed headers or with a Host and token per request drawn from a Zipf distribution
 * over many tenants. Latency percentiles are computed here from every 2xx response (autocannon's
 * own histogram rounds to whole milliseconds).
 */
import autocannon from 'autocannon';

export interface LoadTarget {
  host: string;
  token: string;
}

export interface LoadRequest {
  url: string;
  path: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  /** One target per request, drawn by Zipf rank (targets[0] is the hottest). */
  targets?: LoadTarget[];
  zipfS?: number;
  seed?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  ok: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Distinct targets requested (Zipf runs). */
  distinct: number;
}

/** mulberry32: a small seeded PRNG, so runs draw the same tenant sequence. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sampler of ranks 0..n-1 with P(k) ∝ 1/(k+1)^s. */
export function zipf(n: number, s: number, seed: number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += 1 / (k + 1) ** s;
    cdf[k] = sum;
  }
  const random = rng(seed);
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const targets = request.targets;
  const seen = new Set<number>();
  let requests: autocannon.Request[] | undefined;
  if (targets && targets.length > 0) {
    const draw = zipf(targets.length, request.zipfS ?? 1, request.seed ?? 1);
    requests = [
      {
        setupRequest: (req) => {
          const rank = draw();
          seen.add(rank);
          const target = targets[rank] as LoadTarget;
          req.headers = { ...req.headers, host: target.host, authorization: `Bearer ${target.token}` };
          return req;
        },
      },
    ];
  }
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url + request.path,
        connections: request.connections,
        duration: request.durationS,
        headers: request.headers ?? {},
        ...(requests ? { requests } : {}),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  const ok = latencies.length;
  return {
    requests: result.requests.total,
    rps: ok / (result.duration || request.durationS),
    ok,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    distinct: seen.size,
  };
}

process.once('message', (message) => {
  run(message as LoadRequest).then(
    (result) => {
      process.send?.(result, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
