/**
 * Memory a flood of forged bearer tokens buys (issue 12): one API pod in this process, N requests
 * each with a distinct well-formed JWT that names a real tenant, carries `--bytes` of padding and a
 * signature nobody made. Reports the pod's token cache by its own accounting, and the process's
 * heap and RSS after a full GC, before and after. Tokens over 4096 characters are refused before
 * anything is decoded; shorter ones are verified, fail, and are not remembered.
 *
 *   npx tsx bench/forged-tokens.ts [--tokens=4000] [--bytes=12000] [--concurrency=25]
 */

import { randomBytes } from 'node:crypto';
import { createLogger } from '../api/src/observability/logger.ts';
import { call, createWorld, hostOf } from '../test/api/fixtures.ts';
import { devNull, log, MiB, memory, option, runBench, table } from './lib/common.ts';

const TOKENS = option('tokens', 4_000);
const BYTES = option('bytes', 12_000);
const CONCURRENCY = option('concurrency', 25);

function forged(tenantId: string, padding: number): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const pad = randomBytes(Math.ceil(padding * 0.75)).toString('base64url');
  return `${b64({ alg: 'HS256', kid: `${tenantId}-1`, typ: 'at+jwt' })}.${b64({ tid: tenantId, sub: 'x', pad })}.${randomBytes(32).toString('base64url')}`;
}

runBench(1, async () => {
  const world = await createWorld();
  try {
    const api = await world.startApi({ RATE_LIMITS: '{}' }, { logger: createLogger('warn', devNull()) });
    const tenant = await world.tenant();
    const token = await world.token(tenant);
    await call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant), token });
    const before = memory();
    const statuses = new Map<number, number>();
    const started = performance.now();
    for (let i = 0; i < TOKENS; i += CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONCURRENCY, TOKENS - i) }, () =>
        call(api.url, 'GET', '/v1/tenant', { host: hostOf(tenant), token: forged(tenant.tenantId, BYTES) }),
      );
      for (const reply of await Promise.all(batch))
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    }
    const seconds = (performance.now() - started) / 1000;
    const after = memory();
    log(
      `${TOKENS} forged tokens of ~${BYTES} bytes in ${seconds.toFixed(1)} s: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    table([
      ['', 'before', 'after', 'grown'],
      [
        'heap used (MiB)',
        before.heapUsed / MiB,
        after.heapUsed / MiB,
        (after.heapUsed - before.heapUsed) / MiB,
      ],
      ['RSS (MiB)', before.rss / MiB, after.rss / MiB, (after.rss - before.rss) / MiB],
      ['token cache entries', 1, api.tokens.entries, api.tokens.entries - 1],
      ['token cache bytes', '', api.tokens.bytes, `of ${api.tokens.maxBytes}`],
    ]);
  } finally {
    await world.close();
  }
});
