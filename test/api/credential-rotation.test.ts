import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { RunningApi } from '../../api/src/app/server.ts';
import { testServers, uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';
import { createWorld, type World } from './fixtures.ts';
import { openSchool, type School } from './school.ts';

// A credential rotated under load (#14): a cluster's URI in the mounted Secret (CLUSTER_URIS_DIR)
// for shared tenants, a tenant's own dbURI in the registry for dedicated ones. New requests move to
// the new credential, the previous pool finishes its requests and closes, and nothing fails — also
// once the previous user is dropped.

let world: World;
test.before(async () => {
  world = await createWorld();
});
test.after.always(async () => {
  await world?.close();
});

/** A user of the first cluster (FerretDB authenticates users), and its URI. */
async function clusterUser(t: ExecutionContext, name: string) {
  const username = uniqueName(name);
  const password = randomBytes(12).toString('hex');
  const admin = world.mongo[0]?.db('admin');
  if (!admin) throw new Error('no cluster');
  await admin.command({ createUser: username, pwd: password, roles: [] });
  t.teardown(() => admin.command({ dropUser: username }).catch(() => undefined));
  const uri = new ConnectionString(testServers.mongoUris()[0] ?? '');
  uri.username = username;
  uri.password = password;
  return { username, uri: uri.toString(), drop: () => admin.command({ dropUser: username }) };
}

/** Teachers reading and writing the school's courses until stopped; every reply kept. */
function steadyLoad(school: School, teacher: { token: string }) {
  const statuses: number[] = [];
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const reply =
        i % 3 === 0
          ? await school.as(teacher.token)('POST', '/v1/courses', {
              title: `C ${w}-${i}`,
              code: `R${w}-${i}`,
            })
          : await school.as(teacher.token)('GET', '/v1/courses');
      statuses.push(reply.status);
    }
  };
  const running = Promise.all([0, 1, 2, 3].map(worker));
  return {
    statuses,
    async stop() {
      stop = true;
      await running;
      return statuses;
    },
  };
}

/** Drops the previous user, lets the load run on for a few more requests, and stops it. */
async function dropAndFinish(load: ReturnType<typeof steadyLoad>, drop: () => Promise<unknown>) {
  await drop();
  const atDrop = load.statuses.length;
  await eventually(
    'requests go on after the old user is dropped',
    async () => load.statuses.length,
    (n) => n >= atDrop + 6,
    { timeoutMs: 20_000 },
  );
  return load.stop();
}

const poolKeys = (api: RunningApi, key: (k: string) => boolean) =>
  api.manager
    .stats()
    .pools.filter((p) => key(p.key))
    .map((p) => p.key);

test("a cluster's URI rewritten in CLUSTER_URIS_DIR: the shared pool drains to the new credential under load, nothing fails, the old user can go", async (t) => {
  const [before, after] = [await clusterUser(t, 'api-a'), await clusterUser(t, 'api-b')];
  const dir = mkdtempSync(join(tmpdir(), 'atrium-cluster-uris-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // As the kubelet does: a new file, renamed over the old one.
  const publish = (uri: string) => {
    writeFileSync(join(dir, '.next'), uri);
    renameSync(join(dir, '.next'), join(dir, 'cluster-0'));
  };
  publish(before.uri);
  const api = await world.startApi({ CLUSTER_URIS_DIR: dir, CLUSTER_URIS_REFRESH_MS: '200' });
  const school = await openSchool(world, api);
  const teacher = await school.person('teacher');
  const sharedUser = () =>
    api.manager.sharedConnection('cluster-0')?.getClient().options.credentials?.username;
  t.is(sharedUser(), before.username);

  const load = steadyLoad(school, teacher);
  await new Promise((resolve) => setTimeout(resolve, 500));
  publish(after.uri);
  await eventually(
    'the shared pool logs in as the new user',
    async () => sharedUser(),
    (user) => user === after.username,
    { timeoutMs: 10_000 },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const statuses = await dropAndFinish(load, before.drop);
  t.deepEqual(
    statuses.filter((s) => s !== 200 && s !== 201),
    [],
    'no request failed during the rotation',
  );
  t.deepEqual(
    poolKeys(api, (k) => k.startsWith('shared:cluster-0')).length,
    1,
    'one shared pool: the old one closed',
  );
  t.log(`${statuses.length} requests through the rotation`);
});

test("a dedicated tenant's dbURI rotated in the registry: its own pool drains to the new credential under load, nothing fails", async (t) => {
  const [before, after] = [await clusterUser(t, 'ded-a'), await clusterUser(t, 'ded-b')];
  const api = await world.startApi();
  const school = await openSchool(world, api, { isolation: 'dedicated', dbURI: before.uri });
  const teacher = await school.person('teacher');
  const dedicatedPools = () => poolKeys(api, (k) => k.startsWith(`dedicated:${school.tenant.tenantId}:`));
  t.is(dedicatedPools().length, 1);
  const [oldPool] = dedicatedPools();

  const load = steadyLoad(school, teacher);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const current = await world.registry.get(school.tenant.tenantId);
  if (!current) throw new Error('tenant gone');
  await world.invalidate(await world.registry.put({ ...current, dbURI: after.uri }));
  await eventually(
    'the tenant runs on a new pool and the old one has closed',
    async () => dedicatedPools(),
    (pools) => pools.length === 1 && pools[0] !== oldPool,
    { timeoutMs: 10_000 },
  );
  const statuses = await dropAndFinish(load, before.drop);
  t.deepEqual(
    statuses.filter((s) => s !== 200 && s !== 201),
    [],
    'no request failed during the rotation',
  );
});
