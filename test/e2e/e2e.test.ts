import test from 'ava';
import { MongoClient } from 'mongodb';
import { call } from '../../scripts/lib/http-client.ts';
import { runLmsSession, type SessionResult } from '../../scripts/lib/lms-session.ts';
import { type RunningSystem, startSystem } from '../../scripts/lib/system.ts';
import { uniqueName } from '../harness/env.ts';
import { eventually } from '../harness/eventually.ts';

/**
 * From `kubectl apply` to an LMS request and back: the chart's RBAC and the CRDs installed, the
 * operator running under the chart's ServiceAccount token, the API as a process, the example
 * Tenants applied and waited for, then the LMS flow for both, isolation, restarts, suspension and
 * deletion — all against real servers of its own.
 */
let system: RunningSystem;
test.before(async () => {
  const id = uniqueName('e2e').replace('_', '-');
  system = await startSystem({
    namespace: id,
    release: 'e2e',
    clusterPrefix: id,
    baseDomain: 'lms.test',
    log: () => {},
  });
});
test.after.always(async () => {
  await system?.close();
});

test('kubectl apply → Ready → LMS flow for two tenants; isolation; restarts lose nothing; move; suspend; delete', async (t) => {
  const ns = system.options.namespace;
  const kubectl = system.kubectl;
  const host = (tenant: string) => `${tenant}.lms.test`;
  const get = (tenant: string, path: string, token?: string) =>
    call(system.apiUrl(), 'GET', path, { host: host(tenant), ...(token ? { token } : {}) });

  await kubectl(['apply', '-n', ns, '-f', 'examples/tenants/']);
  await kubectl([
    'wait',
    '-n',
    ns,
    '--for=condition=Ready',
    'tenant/acme',
    'tenant/globex',
    '--timeout=180s',
  ]);
  const tenants = JSON.parse(await kubectl(['get', 'tenants', '-n', ns, '-o', 'json'])) as {
    items: Array<{
      metadata: { name: string };
      status: { cluster: string; database: string; conditions: unknown[] };
    }>;
  };
  const placed = Object.fromEntries(tenants.items.map((i) => [i.metadata.name, i.status]));
  t.truthy(placed.acme?.database);
  // Applied together onto two empty clusters, the least-loaded placement spreads them.
  t.not(placed.acme?.cluster, placed.globex?.cluster);
  t.false(JSON.stringify(tenants).includes('mongodb://'), 'no URI in any status');

  const lines: string[] = [];
  const sessions: Record<string, SessionResult> = {};
  for (const tenant of ['acme', 'globex']) {
    sessions[tenant] = await runLmsSession({
      apiUrl: system.apiUrl(),
      host: host(tenant),
      tenant,
      admin: await system.adminCredentials(tenant),
      say: (line) => lines.push(line),
    });
  }
  const acme = sessions.acme as SessionResult;
  const globex = sessions.globex as SessionResult;
  t.is(acme.gradebook.students[0].totalScore, 93);

  // Isolation: tokens and ids of one tenant are worthless at the other.
  t.is((await get('globex', '/v1/courses', acme.teacherToken)).status, 401);
  t.is((await get('globex', `/v1/courses/${acme.courseId}`, globex.adminToken)).status, 404);
  const globexCourses = await get('globex', '/v1/courses', globex.adminToken);
  t.deepEqual(
    globexCourses.body.items.map((c: { id: string }) => c.id),
    [globex.courseId],
  );

  // Restart the operator and the API: nothing is lost, tokens stay valid (keys live in the registry).
  await system.stopOperator();
  await system.stopApi();
  await system.startApi();
  await system.startOperator();
  const after = await get('acme', `/v1/courses/${acme.courseId}/gradebook`, acme.teacherToken);
  t.is(after.status, 200);
  t.deepEqual(after.body, acme.gradebook);
  await kubectl(['wait', '-n', ns, '--for=condition=Ready', 'tenant/acme', 'tenant/globex', '--timeout=60s']);

  // Move acme onto globex's cluster with kubectl: the API answers 503 tenant-moving while the
  // database is copied, then serves the same gradebook from the new cluster, same tokens.
  const globexCluster = placed.globex?.cluster ?? '';
  await kubectl([
    'patch',
    'tenant',
    'acme',
    '-n',
    ns,
    '--type=merge',
    '-p',
    JSON.stringify({ spec: { move: { toCluster: globexCluster, sourcePolicy: 'Delete' } } }),
  ]);
  const during = await eventually(
    'acme answering 503 while it moves',
    () => get('acme', '/v1/tenant'),
    (reply) => reply.status === 503,
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  t.is(during.status, 503);
  t.is(during.body.code, 'tenant-moving');
  t.truthy(during.headers['retry-after']);
  await kubectl([
    'wait',
    '-n',
    ns,
    `--for=jsonpath={.status.cluster}=${globexCluster}`,
    'tenant/acme',
    '--timeout=120s',
  ]);
  await kubectl(['wait', '-n', ns, '--for=condition=Ready', 'tenant/acme', '--timeout=120s']);
  const moved = await eventually(
    'the gradebook served after the move',
    () => get('acme', `/v1/courses/${acme.courseId}/gradebook`, acme.teacherToken),
    (reply) => reply.status === 200,
    { timeoutMs: 30_000 },
  );
  t.is(moved.status, 200);
  t.deepEqual(moved.body, acme.gradebook, 'the same gradebook, now from the other cluster');

  // Suspend globex with kubectl: the API answers 403 within seconds.
  await kubectl(['patch', 'tenant', 'globex', '-n', ns, '--type=merge', '-p', '{"spec":{"suspended":true}}']);
  const suspended = await eventually(
    'globex refused once suspended',
    () => get('globex', '/v1/tenant'),
    (reply) => reply.status === 403,
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  t.is(suspended.status, 403, 'suspended tenant is refused');
  t.is((await get('acme', '/v1/tenant')).status, 200, 'the other tenant is untouched');

  // Delete acme (deletionPolicy Delete): the API stops knowing it (404: its record is removed, not
  // kept as deleted, which would be 410) and its database is dropped.
  const { database } = placed.acme as { database: string };
  const cluster = globexCluster;
  await kubectl(['delete', 'tenant', 'acme', '-n', ns, '--timeout=120s']);
  const gone = await eventually(
    'acme unknown once deleted',
    () => get('acme', '/v1/tenant'),
    (reply) => reply.status === 404,
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  t.is(gone.status, 404);
  const clusterIndex = system.clusters.indexOf(cluster);
  const client = new MongoClient(system.stack.mongoUris[clusterIndex] ?? '');
  const oldClient = new MongoClient(
    system.stack.mongoUris[system.clusters.indexOf(placed.acme?.cluster ?? '')] ?? '',
  );
  try {
    const { databases } = await client.db('admin').admin().listDatabases();
    t.false(
      databases.some((d) => d.name === database),
      `${database} dropped`,
    );
    const before = await oldClient.db('admin').admin().listDatabases();
    t.false(
      before.databases.some((d) => d.name === database),
      `${database} was dropped from the cluster it moved away from (sourcePolicy Delete)`,
    );
  } finally {
    await client.close();
    await oldClient.close();
  }
  t.log(lines.slice(0, 3).join('\n'));
});
