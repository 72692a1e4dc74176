import { randomBytes } from 'node:crypto';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { testServers, uniqueName } from '../harness/env.ts';
import { isReady, operatorEnv } from './operator-fixtures.ts';

/** A URI of the test server with another user's credentials. */
function withCredentials(uri: string, user: string, password: string): string {
  return uri.replace(
    /^mongodb:\/\/(?:[^@/]*@)?/,
    `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`,
  );
}

test("a MongoCluster's admin credential rotated in its Secret is used from the next reconcile on, without a restart, and the previous one can then be revoked", async (t) => {
  const env = await operatorEnv(t);
  const admin = new MongoClient(testServers.mongoUris()[0] ?? '');
  t.teardown(() => admin.close());
  const users = [uniqueName('admin_a'), uniqueName('admin_b')];
  const passwords = users.map(() => randomBytes(12).toString('hex'));
  for (const [i, user] of users.entries()) {
    await admin.db('admin').command({ createUser: user, pwd: passwords[i], roles: [] });
  }
  t.teardown(async () => {
    for (const user of users)
      await admin
        .db('admin')
        .command({ dropUser: user })
        .catch(() => undefined);
  });
  const uriOf = (i: number) =>
    withCredentials(testServers.mongoUris()[0] ?? '', users[i] ?? '', passwords[i] ?? '');

  const cluster = env.name('c1');
  await env.createMongoCluster(cluster);
  await env.core.patchNamespacedSecret(
    { namespace: env.namespace, name: `${cluster}-admin`, body: { stringData: { uri: uriOf(0) } } },
    (await import('@kubernetes/client-node')).setHeaderOptions(
      'Content-Type',
      'application/merge-patch+json',
    ),
  );
  await env.startOperator();
  const first = env.name('t1');
  await env.createTenant(first, { displayName: 'T1', subdomain: first });
  await env.waitForTenant(first, isReady);

  // The platform team rotates: a new credential in the Secret, then the old one is revoked.
  await env.core.patchNamespacedSecret(
    { namespace: env.namespace, name: `${cluster}-admin`, body: { stringData: { uri: uriOf(1) } } },
    (await import('@kubernetes/client-node')).setHeaderOptions(
      'Content-Type',
      'application/merge-patch+json',
    ),
  );
  const second = env.name('t2');
  await env.createTenant(second, { displayName: 'T2', subdomain: second });
  await env.waitForTenant(second, isReady);
  await admin.db('admin').command({ dropUser: users[0] });

  const third = env.name('t3');
  await env.createTenant(third, { displayName: 'T3', subdomain: third });
  await env.waitForTenant(third, isReady);
  t.like(await env.registry.get(third), { status: 'active' }, 'provisioned with the new credential alone');
});
