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
import { testServers } from '../harness/env.ts';

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
  const subscriptionA = await subscribeInvalidations(subA, {
    onMessage: (m) => {
      received.push(m);
      a.resolve(m);
    },
    onInvalid: (e) => invalid.push(e.code),
  });
  await subscribeInvalidations(subB, { onMessage: b.resolve });

  await publisher.publish(INVALIDATION_CHANNEL, '{"v":2,"kind":"tenant"}');
  await publisher.publish(INVALIDATION_CHANNEL, 'not json');
  const delivered = await publishInvalidation(publisher, {
    kind: 'tenant',
    id: 'acme',
    generation: 7,
    subdomains: ['acme'],
  });
  t.is(delivered, 2);

  const [ma, mb] = await Promise.all([a.promise, b.promise]);
  t.deepEqual(ma, mb);
  t.like(ma, { v: 1, kind: 'tenant', id: 'acme', generation: 7, subdomains: ['acme'] });
  t.deepEqual(invalid, ['INVALID_MESSAGE', 'INVALID_MESSAGE']);
  t.is(received.length, 1);

  await subscriptionA.close();
  await publishInvalidation(publisher, { kind: 'cluster', id: 'eu-1' });
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
