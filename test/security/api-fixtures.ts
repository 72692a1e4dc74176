import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { TenantRecord } from '../../contract/src/registry/index.ts';
import type { World } from '../api/fixtures.ts';
import { testServers } from '../harness/env.ts';

export { call, createWorld, hostOf, RESYNC_OUTSIDE_JUMPS, type World } from '../api/fixtures.ts';
export { openSchool, type Person, type School } from '../api/school.ts';

/** The tenant's own database, as someone with database access (or the test) sees it. */
export function tenantDb(world: World, tenant: TenantRecord): Db {
  const client = world.mongo[world.clusters.indexOf(tenant.cluster ?? '')];
  if (!client || !tenant.database) throw new Error(`tenant ${tenant.tenantId} has no database`);
  return client.db(tenant.database);
}

/** A Redis client of an attacker who reached the cache (no AUTH, or a leaked password). */
export async function redisClient(): Promise<Redis & AsyncDisposable> {
  const client = new Redis(testServers.redisUrl());
  if (client.status !== 'ready') await once(client, 'ready');
  return Object.assign(client, { [Symbol.asyncDispose]: async () => client.disconnect() });
}

/** Everything of an account that a session or a credential change could touch, for before/after checks. */
export async function accountSnapshot(db: Db, accountId: string): Promise<unknown> {
  return db.collection('accounts').findOne({ _id: accountId as never });
}

/** A problem body without its request id: what two answers must share to be indistinguishable. */
export function problemShape(reply: { status: number; body: Record<string, unknown> }): unknown {
  const { instance: _instance, ...rest } = reply.body ?? {};
  return { status: reply.status, ...rest };
}
