import test from 'ava';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { testServers, uniqueName } from './env.ts';
import { hostOf, Toxiproxy, through } from './toxiproxy.ts';

test('Toxiproxy carries traffic to a real server, black-holes it on stall, refuses it when disabled, and heals', async (t) => {
  const proxies = new Toxiproxy(testServers.toxiproxyUrl());
  t.teardown(() => proxies.close());
  const link = await proxies.link(uniqueName('redis'), hostOf(testServers.redisUrl()));
  const connect = () => {
    const client = new Redis(through(testServers.redisUrl(), link.address), {
      commandTimeout: 500,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    client.on('error', () => {});
    t.teardown(() => client.disconnect());
    return client;
  };
  const client = connect();
  await client.connect();
  t.is(await client.ping(), 'PONG');

  await link.stall();
  await t.throwsAsync(
    client.ping(),
    { message: /timed out/i },
    'a live connection hangs: only a timeout ends the wait',
  );
  await link.heal();
  const fresh = connect();
  await fresh.connect();
  t.is(await fresh.ping(), 'PONG', 'new connections work once healed');

  await link.disable();
  await t.throwsAsync(connect().connect(), undefined, 'a disabled link refuses connections');
  await link.enable();

  // A MongoDB-protocol server behind a proxy answers as itself.
  const mongoLink = await proxies.link(uniqueName('mongo'), hostOf(testServers.mongoUris()[0] ?? ''));
  const mongo = new MongoClient(through(testServers.mongoUris()[0] ?? '', mongoLink.address), {
    serverSelectionTimeoutMS: 2_000,
  });
  t.teardown(() => mongo.close());
  t.like(await mongo.db('admin').command({ ping: 1 }), { ok: 1 });
});
