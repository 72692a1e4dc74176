import test from 'ava';
import { Redis } from 'ioredis';
import {
  decodeInvalidation,
  INVALIDATION_CHANNEL,
  type InvalidationMessage,
  isRegistryError,
  publishInvalidation,
  subscribeInvalidations,
} from '../../contract/src/registry/index.ts';
import { testServers, uniqueName } from '../harness/env.ts';

function nextMessage(): { promise: Promise<InvalidationMessage>; resolve: (m: InvalidationMessage) => void } {
  let resolve!: (m: InvalidationMessage) => void;
  const promise = new Promise<InvalidationMessage>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('every subscriber receives a published invalidation; malformed messages are reported, not delivered', async (t) => {
  const url = testServers.redisUrl();
  const [publisher, subA, subB] = [new Redis(url), new Redis(url), new Redis(url)];
  t.teardown(() => {
    for (const c of [publisher, subA, subB]) c.disconnect();
  });
  const [a, b] = [nextMessage(), nextMessage()];
  const invalid: string[] = [];
  const received: InvalidationMessage[] = [];
  // Other test files publish on the same channel of the shared Redis: look only at this test's ids.
  const id = uniqueName('acme').replace('_', '-');
  const mine = (m: InvalidationMessage) => m.id === id || m.id === `${id}-cluster`;
  const subscriptionA = await subscribeInvalidations(subA, {
    onMessage: (m) => {
      if (!mine(m)) return;
      received.push(m);
      a.resolve(m);
    },
    onInvalid: (e) => invalid.push(e.code),
  });
  const clusterAtB = nextMessage();
  await subscribeInvalidations(subB, {
    onMessage: (m) => {
      if (m.id === id) b.resolve(m);
      if (m.id === `${id}-cluster`) clusterAtB.resolve(m);
    },
  });

  await publisher.publish(INVALIDATION_CHANNEL, '{"v":2,"kind":"tenant"}');
  await publisher.publish(INVALIDATION_CHANNEL, 'not json');
  const delivered = await publishInvalidation(publisher, {
    kind: 'tenant',
    id,
    generation: 7,
    subdomains: [id],
  });
  t.true(delivered >= 2, 'both subscribers (and any API pods of parallel tests) received it');

  const [ma, mb] = await Promise.all([a.promise, b.promise]);
  t.deepEqual(ma, mb);
  t.like(ma, { v: 1, kind: 'tenant', id, generation: 7, subdomains: [id] });
  t.true(invalid.length >= 2 && invalid.every((code) => code === 'INVALID_MESSAGE'));
  t.is(received.length, 1);

  await subscriptionA.close();
  await publishInvalidation(publisher, { kind: 'cluster', id: `${id}-cluster` });
  await clusterAtB.promise; // delivered to the open subscriber, so it was sent
  t.is(received.length, 1, 'a closed subscription receives nothing more');
});

test('decodeInvalidation refuses unknown fields and versions', (t) => {
  const at = new Date().toISOString();
  t.true(
    isRegistryError(
      t.throws(() => decodeInvalidation(JSON.stringify({ v: 1, kind: 'tenant', id: 'x', at, extra: 1 }))),
      'INVALID_MESSAGE',
    ),
  );
  t.true(
    isRegistryError(
      t.throws(() => decodeInvalidation(JSON.stringify({ v: 2, kind: 'tenant', id: 'x', at }))),
      'INVALID_MESSAGE',
    ),
  );
  t.like(decodeInvalidation(JSON.stringify({ v: 1, kind: 'tenant', id: 'x', at })), { id: 'x' });
});
