/**
 * The naive strategy of many-tenants.ts, in a process of its own so its memory is measured clean:
 * one MongoClient per tenant (driver defaults), one query each. Reports memory, waits while the
 * parent counts the TCP connections, then closes every client when told to.
 */
import { MongoClient } from 'mongodb';
import { memory } from './common.ts';

export interface NaiveRequest {
  tenants: Array<{ uri: string; database: string }>;
}

export interface NaiveResult {
  tenants: number;
  seconds: number;
  pooledConnections: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  externalBefore: number;
  externalAfter: number;
}

process.once('message', async (message) => {
  const { tenants } = message as NaiveRequest;
  const before = memory();
  let pooled = 0;
  const started = Date.now();
  const clients: MongoClient[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < tenants.length) {
        const t = tenants[next++] as NaiveRequest['tenants'][number];
        const client = new MongoClient(t.uri);
        client.on('connectionCreated', () => pooled++);
        clients.push(client);
        await client.connect();
        await client.db(t.database).collection('courses').find({}).sort({ _id: 1 }).limit(21).toArray();
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const after = memory();
  const result: NaiveResult = {
    tenants: tenants.length,
    seconds,
    pooledConnections: pooled,
    rssBefore: before.rss,
    rssAfter: after.rss,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    externalBefore: before.external,
    externalAfter: after.external,
  };
  process.once('message', async () => {
    await Promise.all(clients.map((c) => c.close()));
    process.exit(0);
  });
  process.send?.(result);
});
