import test from 'ava';
import { GROUP, VERSION } from '../../operator/src/resources/tenant.ts';
import { eventually } from '../harness/eventually.ts';
import { condition, isReady } from '../operator/operator-fixtures.ts';
import { type SecurityEnv, securityEnv, snapshotTenant, stalledWith } from './fixtures.ts';

/**
 * Attacks on a tenant's identity by a team that may create Tenants only in its own namespace.
 * Each applies what such a user can apply, then checks that the attack failed *and* that nothing
 * of the victim changed: its registry record, connection Secret, database accounts and users, its
 * status, and that its own credentials still open its database.
 */

async function provisionVictim(env: SecurityEnv, name: string) {
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({
    watchNamespace: undefined,
    tenantSelector: `atrium.dev/test=${env.clusterLabel}`,
  });
  const school = await env.namespaceUser(env.namespace);
  await school.createTenant(name, {
    displayName: 'Victim Academy',
    subdomain: name,
    deletionPolicy: 'Delete',
    admin: { email: 'head@victim.example' },
  });
  await eventually(`victim ${name} Ready`, () => school.getTenant(name), isReady, { timeoutMs: 60_000 });
  return school;
}

for (const [how, intruderName, spec] of [
  ['the same metadata.name in another namespace', (victim: string) => victim, {}],
  [
    'spec.tenantId naming the victim',
    (victim: string) => `${victim}-x`,
    (victim: string) => ({ tenantId: victim }),
  ],
] as const) {
  test(`a Tenant taking another's id (${how}) is refused with TenantIdTaken and changes nothing of the victim`, async (t) => {
    const env = await securityEnv(t);
    const victim = env.name('acme');
    await provisionVictim(env, victim);
    const before = await snapshotTenant(env, env.namespace, victim);
    t.true(before.credentialsWork);

    const evil = await env.otherNamespace('evil');
    const name = intruderName(victim);
    await evil.createTenant(name, {
      displayName: 'Intruder',
      subdomain: `${env.name('intruder')}`,
      deletionPolicy: 'Delete',
      admin: { email: 'intruder@evil.test' },
      ...(typeof spec === 'function' ? spec(victim) : spec),
    });
    const refused = await stalledWith(evil, name, 'TenantIdTaken');
    t.like(condition(refused, 'Ready'), { status: 'False', reason: 'TenantIdTaken' });
    // Says why, naming nothing of the owner but that it is in another namespace.
    const tenantId = typeof spec === 'function' ? victim : name;
    t.is(
      condition(refused, 'Ready')?.message,
      `tenant id ${tenantId} is already claimed by a Tenant in another namespace`,
    );
    t.is(refused.status?.cluster, undefined, 'not placed');
    // No Secret was written for the intruder.
    await t.throwsAsync(evil.core.readNamespacedSecret({ namespace: evil.namespace, name: `${name}-db` }));
    await t.throwsAsync(evil.core.readNamespacedSecret({ namespace: evil.namespace, name: `${name}-admin` }));
    const events = await env.core.listNamespacedEvent({ namespace: evil.namespace });
    t.true(
      events.items.some((e) => e.reason === 'TenantIdTaken' && e.type === 'Warning'),
      'a Warning event says why',
    );

    // Deleting the intruder (deletionPolicy Delete) must not drop what it never owned.
    await evil.deleteTenant(name);
    await eventually(
      `intruder ${name} gone`,
      () =>
        evil.getTenant(name).then(
          () => true,
          () => false,
        ),
      (present) => !present,
      { timeoutMs: 60_000 },
    );
    t.deepEqual(await snapshotTenant(env, env.namespace, victim), before, 'the victim is unchanged');
  });
}

test("a Tenant steering the operator through its own status (another tenant's database) changes nothing of that tenant", async (t) => {
  const env = await securityEnv(t);
  const victim = env.name('acme');
  await provisionVictim(env, victim);
  const before = await snapshotTenant(env, env.namespace, victim);
  const database = (before.record as { database: string }).database;

  const evil = await env.otherNamespace('evil');
  const name = env.name('steer');
  // `patch tenants/status` is a permission platform teams hand out with `tenants` (kubectl edit,
  // GitOps tools). Set before the operator first writes it, and again after each of its writes.
  await evil.createTenant(name, {
    displayName: 'Steer',
    subdomain: name,
    admin: { email: 'steer@evil.test' },
  });
  const steer = () =>
    evil
      .patchTenantStatus(name, {
        database,
        move: {
          fromCluster: env.name('c1'),
          toCluster: env.name('c1'),
          phase: 'Switching',
          sourcePolicy: 'Delete',
        },
      })
      .catch(() => undefined);
  await steer();
  const ready = await eventually(
    `steering Tenant ${name} settles`,
    async () => {
      await steer();
      return evil.getTenant(name);
    },
    isReady,
    { timeoutMs: 60_000 },
  );
  t.true(isReady(ready));
  t.deepEqual(await snapshotTenant(env, env.namespace, victim), before, 'the victim is unchanged');
  // The steering tenant got its own database, whatever its status claimed.
  t.not((await env.registry.get(name))?.database, database);
});

test('spec.connectionSecret.name cannot take over a Secret the operator did not create', async (t) => {
  const env = await securityEnv(t);
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({
    watchNamespace: undefined,
    tenantSelector: `atrium.dev/test=${env.clusterLabel}`,
  });
  const team = await env.otherNamespace('team');
  await team.core.createNamespacedSecret({
    namespace: team.namespace,
    body: { metadata: { name: 'payments-api' }, stringData: { token: 'keep-me' } },
  });
  const name = env.name('grab');
  await team.createTenant(name, {
    displayName: 'Grab',
    subdomain: name,
    connectionSecret: { name: 'payments-api' },
  });
  const refused = await stalledWith(team, name, 'SecretNotOwned');
  t.like(condition(refused, 'SecretReady'), { status: 'False', reason: 'SecretNotOwned' });
  const secret = await team.core.readNamespacedSecret({ namespace: team.namespace, name: 'payments-api' });
  t.deepEqual(Object.keys(secret.data ?? {}), ['token']);
  t.is(Buffer.from(secret.data?.token ?? '', 'base64').toString(), 'keep-me');
  t.is(secret.metadata?.ownerReferences, undefined);
});

test('a tenant deleted with Retain is not handed to the next Tenant with its id; only its own namespace adopts it, deliberately', async (t) => {
  const env = await securityEnv(t);
  const victim = env.name('kept');
  await env.createMongoCluster(env.name('c1'));
  await env.startOperator({
    watchNamespace: undefined,
    tenantSelector: `atrium.dev/test=${env.clusterLabel}`,
  });
  const school = await env.namespaceUser(env.namespace);
  await school.createTenant(victim, {
    displayName: 'Kept',
    subdomain: victim,
    deletionPolicy: 'Retain',
    admin: { email: 'head@kept.example' },
  });
  await eventually(`${victim} Ready`, () => school.getTenant(victim), isReady, { timeoutMs: 60_000 });
  const retained = await env.registry.get(victim);
  await school.deleteTenant(victim);
  await eventually(
    `${victim} retained`,
    () => env.registry.get(victim),
    (r) => r?.status === 'deleted',
    { timeoutMs: 60_000 },
  );
  const accountsBefore = await env.mongo
    .db(retained?.database ?? '')
    .collection('accounts')
    .find({})
    .toArray();

  // Another namespace, same id: refused, even when it asks to adopt.
  const evil = await env.otherNamespace('evil');
  await evil.createTenant(victim, {
    displayName: 'Squatter',
    subdomain: env.name('squat'),
    admin: { email: 'squat@evil.test' },
    adopt: { tenantId: victim },
  });
  await stalledWith(evil, victim, 'TenantIdTaken');
  t.like(await env.registry.get(victim), { status: 'deleted', signingKeys: retained?.signingKeys });

  // The owning namespace, without asking: refused too — retained data is adopted only deliberately.
  await school.createTenant(victim, { displayName: 'Again', subdomain: victim, deletionPolicy: 'Retain' });
  const notAsked = await stalledWith(school, victim, 'TenantIdTaken');
  t.regex(condition(notAsked, 'Ready')?.message ?? '', /spec\.adopt/);
  t.deepEqual(
    await env.mongo
      .db(retained?.database ?? '')
      .collection('accounts')
      .find({})
      .toArray(),
    accountsBefore,
  );

  // Asked for by the owning namespace: adopted, with new signing keys (old tokens stop working).
  await env.custom.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace: env.namespace,
      plural: 'tenants',
      name: victim,
      body: { spec: { adopt: { tenantId: victim } } },
    },
    (await import('@kubernetes/client-node')).setHeaderOptions(
      'Content-Type',
      'application/merge-patch+json',
    ),
  );
  await eventually(`${victim} adopted`, () => school.getTenant(victim), isReady, { timeoutMs: 60_000 });
  const adopted = await env.registry.get(victim);
  t.is(adopted?.status, 'active');
  t.is(adopted?.database, retained?.database, 'the retained database is the one adopted');
  t.notDeepEqual(
    adopted?.signingKeys.map((k) => k.kid),
    retained?.signingKeys.map((k) => k.kid),
  );
  t.deepEqual(
    (
      await env.mongo
        .db(retained?.database ?? '')
        .collection('accounts')
        .find({})
        .toArray()
    ).map((a) => a.email),
    accountsBefore.map((a) => a.email),
    'its data is there',
  );
});

test('after the upgrade, a record written before owners were recorded goes to the Tenant whose Secret holds its credentials, and to no other', async (t) => {
  const env = await securityEnv(t);
  const victim = env.name('old');
  const school = await provisionVictim(env, victim);
  // What an older operator left: no owner on the record, no provisioning record, no database owner.
  // The victim is paused meanwhile (break-glass annotation), so no pass of its own races the edit.
  const patch = async (body: Record<string, unknown>) =>
    env.custom.patchNamespacedCustomObject(
      {
        group: 'atrium.dev',
        version: 'v1alpha1',
        namespace: school.namespace,
        plural: 'tenants',
        name: victim,
        body,
      },
      (await import('@kubernetes/client-node')).setHeaderOptions(
        'Content-Type',
        'application/merge-patch+json',
      ),
    );
  await patch({ metadata: { annotations: { 'atrium.dev/reconcile-paused': 'true' } } });
  await eventually(
    `${victim} paused`,
    () => env.logLines.some((l) => l.includes('reconciliation paused') && l.includes(`/${victim}"`)),
    (seen) => seen,
  );
  const before = await env.registry.get(victim);
  await env.registryDb.collection('tenants').updateOne({ _id: victim as never }, { $unset: { owner: '' } });
  await env.registryDb.collection('tenant_provisioning').deleteOne({ _id: victim as never });
  await env.mongo
    .db(before?.database ?? '')
    .collection('atrium_owner')
    .deleteMany({});
  t.is((await env.registry.get(victim))?.owner, null);

  // An intruder asks first: it holds no Secret with the record's credentials.
  const evil = await env.otherNamespace('evil');
  const intruder = env.name('old-x');
  await evil.createTenant(intruder, { displayName: 'X', subdomain: intruder, tenantId: victim });
  await stalledWith(evil, intruder, 'TenantIdTaken');
  t.is((await env.registry.get(victim))?.owner, null, 'not claimed by the intruder');
  t.is(await env.registryDb.collection('tenant_provisioning').findOne({ _id: victim as never }), null);

  // The Tenant that was provisioned with it claims it on its next pass.
  await patch({
    metadata: { annotations: { 'atrium.dev/reconcile-paused': null } },
    spec: { displayName: 'Old Academy' },
  });
  const after = await eventually(
    `${victim} claimed again`,
    () => env.registry.get(victim),
    (r) => r?.owner !== null && r?.displayName === 'Old Academy',
    { timeoutMs: 60_000 },
  );
  const tenant = await school.getTenant(victim);
  t.like(after?.owner, { namespace: school.namespace, name: victim, uid: tenant.metadata.uid });
  t.is(after?.dbURI, before?.dbURI, 'same credentials');
  t.deepEqual(after?.signingKeys, before?.signingKeys, 'same keys: tokens keep working');
});
