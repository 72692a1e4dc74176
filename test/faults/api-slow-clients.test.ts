import { connect, type Socket } from 'node:net';
import test from 'ava';
import { hostOf } from '../api/fixtures.ts';
import { eventually } from '../harness/eventually.ts';
import { faultyWorld, SLACK_MS, summary, timedCall } from './api-fixtures.ts';

const SLOW = {
  HTTP_HEADERS_TIMEOUT_MS: '1000',
  HTTP_REQUEST_TIMEOUT_MS: '2000',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
  // Longer than the HTTP timeouts: here the server's own timeouts must cut the client off.
  REQUEST_DEADLINE_MS: '10000',
};

/** A raw connection to `url`'s port: what it received, and when (performance.now()) it closed. */
function rawConnection(
  url: string,
): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
  return new Promise((resolve) =>
    socket.on('connect', () => resolve({ socket, received: () => text, closed })),
  );
}

/** Writes `chunks` one every `everyMs` until the socket closes (or the chunks run out). */
async function trickle(socket: Socket, chunks: string[], everyMs: number): Promise<void> {
  for (const chunk of chunks) {
    if (socket.destroyed || !socket.writable) return;
    socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** How long after `since` the socket closed, or Infinity if it is still open `ms` after it. */
async function closedAfter(closed: Promise<number>, since: number, ms: number): Promise<number> {
  const at = await Promise.race([
    closed,
    new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), ms)),
  ]);
  return at - since;
}

test('slowloris: a client trickling its headers is cut off after HTTP_HEADERS_TIMEOUT_MS', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi(SLOW);
  const tenant = await faults.world.tenant();
  const { socket, received, closed } = await rawConnection(api.url);
  t.teardown(() => socket.destroy());
  const started = performance.now();
  void trickle(
    socket,
    [
      `GET /v1/tenant HTTP/1.1\r\nHost: ${hostOf(tenant)}\r\n`,
      ...Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: a\r\n`),
    ],
    200,
  );
  const bound = Number(SLOW.HTTP_HEADERS_TIMEOUT_MS) + SLACK_MS;
  const at = await closedAfter(closed, started, bound + 5_000);
  t.true(at <= bound, `closed after ${Math.round(at)} ms`);
  t.regex(received(), /^(HTTP\/1\.1 408|$)/, 'a 408 or nothing, never the resource');
});

test('a client trickling its body is cut off after HTTP_REQUEST_TIMEOUT_MS', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi(SLOW);
  const school = await faults.school(api);
  const { socket, received, closed } = await rawConnection(api.url);
  t.teardown(() => socket.destroy());
  const body = JSON.stringify({ title: 'Trickled', code: 'TRICKLE1', description: 'x'.repeat(200) });
  const started = performance.now();
  void trickle(
    socket,
    [
      `POST /v1/courses HTTP/1.1\r\nHost: ${hostOf(school.tenant)}\r\nAuthorization: Bearer ${school.admin.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      ...body.split(''),
    ],
    100,
  );
  const bound = Number(SLOW.HTTP_REQUEST_TIMEOUT_MS) + SLACK_MS;
  const at = await closedAfter(closed, started, bound + 5_000);
  t.true(at <= bound, `closed after ${Math.round(at)} ms`);
  t.regex(received(), /^(HTTP\/1\.1 408|$)/);
});

test('an idle keep-alive connection is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi(SLOW);
  const tenant = await faults.world.tenant();
  const { socket, received, closed } = await rawConnection(api.url);
  t.teardown(() => socket.destroy());
  socket.write(`GET /v1/tenant HTTP/1.1\r\nHost: ${hostOf(tenant)}\r\n\r\n`);
  await eventually('the response', received, (text) => text.includes('\r\n\r\n'));
  t.regex(received(), /^HTTP\/1\.1 200/);
  const idleSince = performance.now();
  const bound = Number(SLOW.HTTP_KEEP_ALIVE_TIMEOUT_MS) + SLACK_MS;
  const at = await closedAfter(closed, idleSince, bound + 10_000);
  t.true(at <= bound, `closed after ${Math.round(at)} ms idle`);
});

test('bodies over REQUEST_BODY_MAX_BYTES are refused with 413, whatever their type and framing', async (t) => {
  const faults = await faultyWorld(t);
  const api = await faults.startApi({ REQUEST_BODY_MAX_BYTES: '65536' });
  const school = await faults.school(api);
  const big = JSON.stringify({ title: 'Big', code: 'BIG1', description: 'x'.repeat(100_000) });
  const send = (headers: Record<string, string>, chunked = false) =>
    new Promise<number>((resolve) => {
      void import('node:http').then(({ request }) => {
        const req = request(new URL('/v1/courses', api.url), {
          method: 'POST',
          headers: {
            host: hostOf(school.tenant),
            authorization: `Bearer ${school.admin.token}`,
            ...headers,
            ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(big)) }),
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(0));
        if (chunked) {
          for (let i = 0; i < big.length; i += 8192) req.write(big.slice(i, i + 8192));
          req.end();
        } else req.end(big);
      });
    });
  t.is(await send({ 'content-type': 'application/json' }), 413, 'JSON with a Content-Length');
  t.is(await send({ 'content-type': 'application/json' }, true), 413, 'chunked JSON');
  t.is(await send({ 'content-type': 'text/plain' }), 413, 'another type with a Content-Length');
  const small = await timedCall(api.url, 'POST', '/v1/courses', {
    host: hostOf(school.tenant),
    token: school.admin.token,
    body: { title: 'Small', code: 'SMALL1' },
  });
  t.is(small.status, 201, 'a body under the limit is served');
});

test('load shedding: past MAX_IN_FLIGHT requests get 503 overloaded with Retry-After at once, and /healthz stays fast', async (t) => {
  const faults = await faultyWorld(t);
  const maxInFlight = 4;
  const deadline = 3_000;
  const api = await faults.startApi({
    MAX_IN_FLIGHT: String(maxInFlight),
    REQUEST_DEADLINE_MS: String(deadline),
  });
  const school = await faults.school(api, 0);
  // Every request now holds its place for seconds.
  await faults.clusters[0]?.add({ type: 'latency', attributes: { latency: 1_000 } });
  const flood = Array.from({ length: 20 }, () =>
    timedCall(api.url, 'GET', '/v1/courses', {
      host: hostOf(school.tenant),
      token: school.admin.token,
      timeoutMs: deadline + 10_000,
    }),
  );
  const probes = [];
  for (let i = 0; i < 5; i++) {
    probes.push(await timedCall(api.opsUrl, 'GET', '/healthz', { timeoutMs: 5_000 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const replies = await Promise.all(flood);
  const shed = replies.filter((r) => r.body?.code === 'overloaded');
  t.true(shed.length >= replies.length - maxInFlight, summary(replies));
  for (const reply of shed) {
    t.is(reply.status, 503);
    t.truthy(reply.headers['retry-after']);
    t.true(reply.ms < deadline, `shed at once: ${reply.ms} ms`);
  }
  t.true(
    replies.every((r) => r.status !== 0 && r.ms <= deadline + SLACK_MS),
    summary(replies),
  );
  // Within the kubelet's default probe timeout (1 s), all along.
  t.true(
    probes.every((p) => p.status === 200 && p.ms < 1_000),
    summary(probes),
  );
});
