import test from 'ava';
import { isRegistryError, Keyring, RegistryCipher } from '../../contract/src/registry/index.ts';
import { uniqueName } from '../harness/env.ts';
import { tenantInput } from '../harness/tenant-record.ts';
import { openRegistry, randomKeyring } from './fixtures.ts';

/** The claims collection, read and edited by hand to stage what a crash or an older version leaves. */
const CLAIMS = 'tenant_subdomains';

type Fixture = Awaited<ReturnType<typeof openRegistry>>;
const open = async (
  t: { teardown: (fn: () => Promise<void>) => void },
  keyring?: Keyring,
): Promise<Fixture> => {
  const fixture = await openRegistry(keyring);
  t.teardown(fixture.close);
  return fixture;
};

test('a tenant record round-trips by id and by subdomain, with its secrets decrypted', async (t) => {
  const { registry } = await open(t);
  const input = tenantInput();
  const written = await registry.put(input);
  t.true(written.updatedAt instanceof Date);
  t.deepEqual(await registry.get(input.tenantId), written);
  t.deepEqual(await registry.getBySubdomain(input.subdomain), written);
  t.is(await registry.get('no-such-tenant'), null);
  t.is(await registry.getBySubdomain('no-such-subdomain'), null);
});

test('ensureIndexes is idempotent: running it again changes no index, and the registry works after', async (t) => {
  const { registry, db } = await open(t);
  // Every index of every collection, as a comparable list (open() has run ensureIndexes once).
  const indexes = async () => {
    const collections = (await db.listCollections().toArray()).map((c) => c.name).sort();
    return Promise.all(
      collections.map(async (name) => ({
        name,
        indexes: (await db.collection(name).indexes())
          .map((index) => ({ name: index.name, key: index.key, unique: index.unique ?? false }))
          .sort((x, y) => String(x.name).localeCompare(String(y.name))),
      })),
    );
  };
  const before = await indexes();
  t.true(before.length > 0);
  await registry.ensureIndexes();
  await registry.ensureIndexes();
  t.deepEqual(await indexes(), before);
  const written = await registry.put(tenantInput());
  t.deepEqual(await registry.getBySubdomain(written.subdomain), written);
});

test('the stored document holds neither the plaintext URI, its password nor the signing key', async (t) => {
  const { registry, db } = await open(t);
  const input = tenantInput();
  await registry.put(input);
  const raw = JSON.stringify(await db.collection('tenants').findOne({ _id: input.tenantId as never }));
  const signingSecret = String(input.signingKeys[0]?.jwk.k);
  t.false(raw.includes(input.dbURI ?? 'unreachable'));
  t.false(raw.includes(`s3cr3t-${input.tenantId}`));
  t.false(raw.includes(signingSecret));
  t.regex(
    raw,
    /"dbURI":"eyJ[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+"/,
    'dbURI is a dir JWE (empty encrypted-key part)',
  );
});

test('a duplicate subdomain is SUBDOMAIN_TAKEN and changes nothing', async (t) => {
  const { registry, db } = await open(t);
  const first = await registry.put(tenantInput());
  const snapshot = async () => ({
    tenants: await db.collection('tenants').find().sort({ _id: 1 }).toArray(),
    claims: await db.collection(CLAIMS).find().sort({ _id: 1 }).toArray(),
  });
  const before = await snapshot();

  const intruder = tenantInput({ subdomain: first.subdomain });
  const error = await t.throwsAsync(registry.put(intruder));
  t.true(isRegistryError(error, 'SUBDOMAIN_TAKEN'), String(error));
  t.is(await registry.get(intruder.tenantId), null);
  t.deepEqual(await snapshot(), before);

  // The same on the update path: an existing tenant moving onto a taken subdomain.
  const other = await registry.put(tenantInput());
  const withOther = await snapshot();
  const moved = await t.throwsAsync(registry.put({ ...other, subdomain: first.subdomain, generation: 2 }));
  t.true(isRegistryError(moved, 'SUBDOMAIN_TAKEN'), String(moved));
  t.deepEqual(await snapshot(), withOther);
  t.deepEqual(await registry.get(other.tenantId), other);
  t.deepEqual(await registry.get(first.tenantId), first);
  t.deepEqual(await registry.getBySubdomain(first.subdomain), first);
  t.deepEqual(await registry.getBySubdomain(other.subdomain), other);
});

// ---- look-ups by subdomain go through a claim document keyed by the subdomain ---------------------

test('a subdomain look-up returns the tenant holding that subdomain, not one whose id matches it', async (t) => {
  const { registry } = await open(t);
  const a = await registry.put(tenantInput({ subdomain: uniqueName('sub').replace('_', '-') }));
  // b's id is a's subdomain: a look-up that confused the two would return b.
  const b = await registry.put(tenantInput({ tenantId: a.subdomain, subdomain: `${a.subdomain}-b` }));
  t.deepEqual(await registry.getBySubdomain(a.subdomain), a);
  t.deepEqual(await registry.getBySubdomain(b.subdomain), b);
  t.is((await registry.findSealed({ subdomain: a.subdomain }))?._id, a.tenantId);
  t.is((await registry.findSealed({ subdomain: b.subdomain }))?._id, b.tenantId);
  t.is(await registry.findSealed({ subdomain: a.tenantId }), null);
});

test('changing a subdomain frees the old one: it finds nothing and another tenant can take it', async (t) => {
  const { registry, db } = await open(t);
  const mover = await registry.put(tenantInput());
  const oldSubdomain = mover.subdomain;
  const moved = await registry.put({ ...mover, subdomain: `${oldSubdomain}-new`, generation: 2 });
  t.deepEqual(await registry.getBySubdomain(moved.subdomain), moved);
  t.is(await registry.getBySubdomain(oldSubdomain), null);
  t.is(await registry.findSealed({ subdomain: oldSubdomain }), null);
  t.is(
    await db.collection(CLAIMS).findOne({ _id: oldSubdomain as never }),
    null,
    'the old claim is released',
  );

  const successor = await registry.put(tenantInput({ subdomain: oldSubdomain }));
  t.deepEqual(await registry.getBySubdomain(oldSubdomain), successor);
  // Writes that keep the subdomain keep the claim.
  const suspended = await registry.setStatus(moved.tenantId, 'suspended', 3);
  t.deepEqual(await registry.getBySubdomain(moved.subdomain), suspended);
});

test('a stale claim neither returns its tenant nor keeps another tenant from the subdomain', async (t) => {
  const { registry, db } = await open(t);
  const holder = await registry.put(tenantInput());
  const subdomain = `${holder.subdomain}-stale`;
  // As a crash between claiming and writing the record leaves it: the record holds another subdomain.
  await db.collection(CLAIMS).insertOne({ _id: subdomain as never, tenantId: holder.tenantId });
  t.is(await registry.getBySubdomain(subdomain), null);
  t.is(await registry.findSealed({ subdomain }), null);
  // A claim whose tenant is gone altogether.
  const orphan = `${holder.subdomain}-orphan`;
  await db.collection(CLAIMS).insertOne({ _id: orphan as never, tenantId: 'ghost' });
  t.is(await registry.getBySubdomain(orphan), null);

  const taker = await registry.put(tenantInput({ subdomain }));
  t.deepEqual(await registry.getBySubdomain(subdomain), taker);
  const orphanTaker = await registry.put(tenantInput({ subdomain: orphan }));
  t.deepEqual(await registry.getBySubdomain(orphan), orphanTaker);
  t.deepEqual(await registry.getBySubdomain(holder.subdomain), holder);
});

test('a claim pointing at the wrong tenant: the unique index still refuses it, and the claim is given back', async (t) => {
  const { registry, db } = await open(t);
  const holder = await registry.put(tenantInput());
  const intruder = tenantInput();
  // The state a lost race can leave: the intruder took the claim over, the holder's record kept it.
  await db
    .collection(CLAIMS)
    .updateOne({ _id: holder.subdomain as never }, { $set: { tenantId: intruder.tenantId } });
  const error = await t.throwsAsync(registry.put({ ...intruder, subdomain: holder.subdomain }));
  t.true(isRegistryError(error, 'SUBDOMAIN_TAKEN'), String(error));
  t.is(await registry.get(intruder.tenantId), null);
  t.deepEqual(await registry.getBySubdomain(holder.subdomain), holder);

  // Left that way (the intruder crashed before its record write failed), ensureIndexes repairs it.
  await db
    .collection(CLAIMS)
    .updateOne({ _id: holder.subdomain as never }, { $set: { tenantId: intruder.tenantId } });
  t.is(await registry.getBySubdomain(holder.subdomain), null);
  await registry.ensureIndexes();
  t.deepEqual(await registry.getBySubdomain(holder.subdomain), holder);
});

test('tenants racing for one free subdomain: exactly one gets it, and the look-up finds that one', async (t) => {
  const { registry } = await open(t);
  const subdomain = uniqueName('race').replace('_', '-');
  const racers = Array.from({ length: 6 }, () => tenantInput({ subdomain }));
  const results = await Promise.allSettled(racers.map((racer) => registry.put(racer)));
  const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  t.is(winners.length, 1, JSON.stringify(results.map((r) => r.status)));
  for (const r of results) {
    if (r.status === 'rejected') t.true(isRegistryError(r.reason, 'SUBDOMAIN_TAKEN'), String(r.reason));
  }
  t.deepEqual(await registry.getBySubdomain(subdomain), winners[0]);
});

test('ensureIndexes backfills the claims of records written without them, once', async (t) => {
  const { registry, db } = await open(t);
  const written = await registry.put(tenantInput());
  const legacy = await registry.put(tenantInput());
  // Records as an older version wrote them: no claim.
  await db.collection(CLAIMS).deleteMany({ _id: { $in: [written.subdomain, legacy.subdomain] } as never });
  t.is(await registry.getBySubdomain(written.subdomain), null);
  const untouched = await registry.put(tenantInput());

  await registry.ensureIndexes();
  t.deepEqual(await registry.getBySubdomain(written.subdomain), written);
  t.deepEqual(await registry.getBySubdomain(legacy.subdomain), legacy);
  t.deepEqual(await registry.getBySubdomain(untouched.subdomain), untouched);

  await registry.ensureIndexes();
  t.deepEqual(
    (await db.collection(CLAIMS).find().sort({ _id: 1 }).toArray()).map((c) => [c._id, c.tenantId]),
    [written, legacy, untouched]
      .map((r) => [r.subdomain, r.tenantId])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
});

test('a registry not yet repaired (no claims at all) is still read by subdomain, the slow way, until ensureIndexes has run', async (t) => {
  const { db, withKeyring } = await open(t);
  const keyring = randomKeyring('2026-01');
  const writer = withKeyring(keyring);
  const records = [await writer.put(tenantInput()), await writer.put(tenantInput())];
  // As an older version left it: records, no claims, no mark that the claims are complete.
  await db.collection(CLAIMS).deleteMany({});
  await db.collection('registry_meta').deleteMany({});
  const upgradedPod = withKeyring(keyring);
  for (const record of records) t.deepEqual(await upgradedPod.getBySubdomain(record.subdomain), record);
  t.is(await upgradedPod.getBySubdomain('no-such-subdomain'), null);

  await withKeyring(keyring).ensureIndexes();
  t.is(await db.collection('registry_meta').countDocuments(), 1);
  // From now on a subdomain without a claim has no record: no query by subdomain any more.
  const later = withKeyring(keyring);
  await db.collection(CLAIMS).deleteOne({ _id: records[0]?.subdomain } as never);
  t.is(await later.getBySubdomain(records[0]?.subdomain ?? ''), null);
  t.deepEqual(await later.getBySubdomain(records[1]?.subdomain ?? ''), records[1]);
});

test('pods starting together backfill the same missing claims without failing', async (t) => {
  const fixture = await open(t);
  const tenants = [];
  for (let i = 0; i < 20; i++) tenants.push(await fixture.registry.put(tenantInput()));
  await fixture.db.collection(CLAIMS).deleteMany({});
  // ensureIndexes reads no secret, so the keyring does not matter here.
  const pods = Array.from({ length: 4 }, () => fixture.withKeyring(randomKeyring('2026-01')));
  await Promise.all(pods.map((pod) => pod.ensureIndexes()));
  for (const tenant of tenants) t.deepEqual(await fixture.registry.getBySubdomain(tenant.subdomain), tenant);
  t.is(await fixture.db.collection(CLAIMS).countDocuments(), tenants.length);
});

test('removing a tenant frees its subdomain', async (t) => {
  const { registry, db } = await open(t);
  const leaving = await registry.put(tenantInput());
  t.true(await registry.remove(leaving.tenantId, 1));
  t.is(await registry.getBySubdomain(leaving.subdomain), null);
  t.is(await db.collection(CLAIMS).findOne({ _id: leaving.subdomain as never }), null);

  const successor = await registry.put(tenantInput({ subdomain: leaving.subdomain }));
  t.deepEqual(await registry.getBySubdomain(leaving.subdomain), successor);
  // A refused removal keeps both the record and its claim.
  await t.throwsAsync(registry.remove(successor.tenantId, 0));
  t.deepEqual(await registry.getBySubdomain(leaving.subdomain), successor);
});

test('a write from a stale generation is refused and changes nothing; the same generation converges', async (t) => {
  const { registry } = await open(t);
  const v3 = await registry.put(tenantInput({ generation: 3, displayName: 'Third' }));

  const stale = await t.throwsAsync(registry.put({ ...v3, generation: 2, displayName: 'Second' }));
  t.true(isRegistryError(stale, 'STALE_GENERATION'), String(stale));
  t.is((await registry.get(v3.tenantId))?.displayName, 'Third');

  const staleStatus = await t.throwsAsync(registry.setStatus(v3.tenantId, 'suspended', 2));
  t.true(isRegistryError(staleStatus, 'STALE_GENERATION'), String(staleStatus));
  t.is((await registry.get(v3.tenantId))?.status, 'active');

  const staleRemove = await t.throwsAsync(registry.remove(v3.tenantId, 2));
  t.true(isRegistryError(staleRemove, 'STALE_GENERATION'), String(staleRemove));
  t.not(await registry.get(v3.tenantId), null);

  await registry.put({ ...v3, displayName: 'Third again' });
  t.is((await registry.get(v3.tenantId))?.displayName, 'Third again');
  const suspended = await registry.setStatus(v3.tenantId, 'suspended', 4);
  t.is(suspended.generation, 4);
  t.is((await registry.get(v3.tenantId))?.status, 'suspended');

  t.true(await registry.remove(v3.tenantId, 4));
  t.is(await registry.get(v3.tenantId), null);
  t.false(await registry.remove(v3.tenantId, 4));
});

test('an invalid record is INVALID_RECORD and writes nothing', async (t) => {
  const { registry } = await open(t);
  const bad = tenantInput({ subdomain: 'Not A Label!' });
  const error = await t.throwsAsync(registry.put(bad));
  t.true(isRegistryError(error, 'INVALID_RECORD'), String(error));
  t.is(await registry.get(bad.tenantId), null);
});

test('setStatus on an unknown tenant is TENANT_NOT_FOUND', async (t) => {
  const { registry } = await open(t);
  const error = await t.throwsAsync(registry.setStatus('ghost', 'suspended', 1));
  t.true(isRegistryError(error, 'TENANT_NOT_FOUND'));
});

test('a tampered ciphertext is rejected', async (t) => {
  const { registry, db } = await open(t);
  const input = await registry.put(tenantInput());
  const raw = await db.collection('tenants').findOne({ _id: input.tenantId as never });
  const jwe = String(raw?.dbURI);
  const parts = jwe.split('.');
  const ciphertext = parts[3] ?? '';
  parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
  await db
    .collection('tenants')
    .updateOne({ _id: input.tenantId as never }, { $set: { dbURI: parts.join('.') } });
  const error = await t.throwsAsync(registry.get(input.tenantId));
  t.true(isRegistryError(error, 'CIPHER_REJECTED'), String(error));
  t.false(String(error?.message).includes('s3cr3t'));
});

test('a ciphertext under a foreign key, or moved to another record, is rejected', async (t) => {
  const fixture = await open(t);
  const victim = await fixture.registry.put(tenantInput());

  // Same key id, different key bytes: the authentication tag fails.
  const impostor = fixture.withKeyring(randomKeyring('2026-01'));
  t.true(isRegistryError(await t.throwsAsync(impostor.get(victim.tenantId)), 'CIPHER_REJECTED'));
  // Unknown key id.
  const stranger = fixture.withKeyring(randomKeyring('1999-01'));
  t.true(isRegistryError(await t.throwsAsync(stranger.get(victim.tenantId)), 'CIPHER_REJECTED'));

  // A valid ciphertext of tenant A pasted into tenant B's record is bound to A and refused.
  const other = await fixture.registry.put(tenantInput());
  const tenants = fixture.db.collection('tenants');
  const victimDoc = await tenants.findOne({ _id: victim.tenantId as never });
  await tenants.updateOne({ _id: other.tenantId as never }, { $set: { dbURI: victimDoc?.dbURI } });
  const moved = await t.throwsAsync(fixture.registry.get(other.tenantId));
  t.true(isRegistryError(moved, 'CIPHER_REJECTED'), String(moved));
});

test('key rotation: records written with key 1 stay readable after key 2 becomes primary', async (t) => {
  const old = randomKeyring('2026-01');
  const fixture = await open(t, old);
  const written = await fixture.registry.put(tenantInput());
  const oldKey = old.get('2026-01');
  if (!oldKey) throw new Error('keyring lost its key');

  const rotated = new Keyring([oldKey, { kid: '2026-06', key: new Uint8Array(32).fill(7) }]);
  t.is(rotated.primary.kid, '2026-06');
  const afterRotation = fixture.withKeyring(rotated);
  t.deepEqual(await afterRotation.get(written.tenantId), written);

  // Re-writing the record moves it to the new key; then the old key can be retired.
  const tenants = fixture.db.collection('tenants');
  const cipher = new RegistryCipher(rotated);
  t.is(cipher.keyIdOf(String((await tenants.findOne({ _id: written.tenantId as never }))?.dbURI)), '2026-01');
  await afterRotation.put(written);
  const rewritten = String((await tenants.findOne({ _id: written.tenantId as never }))?.dbURI);
  t.is(cipher.keyIdOf(rewritten), cipher.primaryKid);
  const header = JSON.parse(Buffer.from(rewritten.split('.')[0] ?? '', 'base64url').toString()) as {
    kid: string;
  };
  t.is(header.kid, '2026-06');

  const newKey = rotated.get('2026-06');
  if (!newKey) throw new Error('keyring lost its key');
  const retired = fixture.withKeyring(new Keyring([newKey]));
  t.is((await retired.get(written.tenantId))?.dbURI, written.dbURI);
});

test('list pages in id order with filters; countByCluster counts live tenants per cluster', async (t) => {
  const { registry } = await open(t);
  const ids = ['a-1', 'a-2', 'a-3', 'a-4', 'a-5'];
  for (const [i, tenantId] of ids.entries()) {
    await registry.put(
      tenantInput({
        tenantId,
        subdomain: tenantId,
        cluster: i % 2 === 0 ? 'east' : 'west',
        status: i === 4 ? 'deleted' : 'active',
      }),
    );
  }
  const page1 = await registry.list({ limit: 2 });
  t.deepEqual(
    page1.map((r) => r.tenantId),
    ['a-1', 'a-2'],
  );
  const page2 = await registry.list({ limit: 2, after: page1.at(-1)?.tenantId });
  t.deepEqual(
    page2.map((r) => r.tenantId),
    ['a-3', 'a-4'],
  );
  t.deepEqual(
    (await registry.list({ cluster: 'east' })).map((r) => r.tenantId),
    ['a-1', 'a-3', 'a-5'],
  );
  t.deepEqual(
    (await registry.list({ status: 'deleted' })).map((r) => r.tenantId),
    ['a-5'],
  );
  t.deepEqual(Object.fromEntries(await registry.countByCluster()), { east: 2, west: 2 });
});

test('cluster records round-trip with the API URI encrypted at rest', async (t) => {
  const { registry, db } = await open(t);
  const cluster = await registry.putCluster({
    name: 'eu-1',
    labels: { region: 'eu' },
    region: 'eu',
    capacity: 500,
    cordoned: false,
    weight: 100,
    reachable: true,
    serverVersion: '7.0.42',
    flavour: 'ferretdb',
    tenantCount: 0,
    apiURI: 'mongodb://api:cluster-pass@10.0.0.1:27017/?authSource=admin',
    generation: 1,
  });
  t.deepEqual(await registry.getCluster('eu-1'), cluster);
  t.deepEqual(await registry.listClusters(), [cluster]);
  t.false(JSON.stringify(await db.collection('clusters').findOne({})).includes('cluster-pass'));
  const cordoned = await registry.putCluster({ ...cluster, cordoned: true, generation: 2 });
  const stale = await t.throwsAsync(registry.putCluster({ ...cluster, generation: 1 }));
  t.true(isRegistryError(stale, 'STALE_GENERATION'), String(stale));
  t.deepEqual(await registry.getCluster('eu-1'), cordoned);
  t.true(await registry.removeCluster('eu-1'));
  t.is(await registry.getCluster('eu-1'), null);
});

test('keyrings parse from the environment form and refuse bad input', (t) => {
  const key = Buffer.alloc(32, 1).toString('base64');
  const ring = Keyring.parse(`2026-01=${key},2026-06=${Buffer.alloc(32, 2).toString('base64url')}`);
  t.deepEqual(ring.kids, ['2026-01', '2026-06']);
  t.is(ring.primary.kid, '2026-06');
  t.is(Keyring.parse(`2026-01=${key},2026-06=${key};primary=2026-01`).primary.kid, '2026-01');
  for (const bad of [
    '',
    'nokey',
    `x=${Buffer.alloc(16).toString('base64')}`,
    `a=${key},a=${key}`,
    `a=${key};primary=b`,
  ]) {
    const error = t.throws(() => Keyring.parse(bad));
    t.true(isRegistryError(error, 'INVALID_KEYRING'), bad);
    t.false(String(error?.message).includes(key), 'key material is never echoed');
  }
});

test('a sealed record survives JSON (the Redis cache form) without carrying plaintext secrets', async (t) => {
  const { registry } = await open(t);
  const written = await registry.put(tenantInput());
  const sealed = await registry.findSealed({ subdomain: written.subdomain });
  const json = JSON.stringify(sealed);
  t.false(json.includes(written.dbURI ?? 'unreachable'));
  t.deepEqual(await registry.unseal(JSON.parse(json)), written);
  t.deepEqual(await registry.findSealed({ tenantId: written.tenantId }), sealed);
  t.is(await registry.findSealed({ tenantId: 'ghost' }), null);
});

test("every write is conditional on the record's owner: another owner's put, status change or removal is TENANT_ID_TAKEN and changes nothing", async (t) => {
  const { registry, db } = await open(t);
  const owner = { namespace: 'school-a', name: 'acme', uid: 'uid-a' };
  const intruder = { namespace: 'evil', name: 'acme', uid: 'uid-evil' };
  const written = await registry.put(tenantInput({ owner }));
  const stored = await db.collection('tenants').findOne({ _id: written.tenantId as never });

  const put = await t.throwsAsync(
    registry.put({ ...written, owner: intruder, displayName: 'Taken', generation: 5 }),
  );
  t.true(isRegistryError(put, 'TENANT_ID_TAKEN'));
  const unowned = await t.throwsAsync(registry.put({ ...written, owner: null, generation: 5 }));
  t.true(isRegistryError(unowned, 'TENANT_ID_TAKEN'), 'an owned record is not written by an unowned writer');
  const status = await t.throwsAsync(
    registry.setStatus(written.tenantId, 'suspended', 5, { ownerUid: intruder.uid }),
  );
  t.true(isRegistryError(status, 'TENANT_ID_TAKEN'));
  const removal = await t.throwsAsync(registry.remove(written.tenantId, 5, { ownerUid: intruder.uid }));
  t.true(isRegistryError(removal, 'TENANT_ID_TAKEN'));
  t.deepEqual(
    await db.collection('tenants').findOne({ _id: written.tenantId as never }),
    stored,
    'unchanged',
  );

  // The owner itself writes as before.
  t.like(await registry.setStatus(written.tenantId, 'suspended', 2, { ownerUid: owner.uid }), {
    status: 'suspended',
  });
});

test('an owner is handed over only when the writer names the owner it replaces; a record without one reads as owner null', async (t) => {
  const { registry, db } = await open(t);
  const old = { namespace: 'school-a', name: 'acme', uid: 'uid-old' };
  const adopter = { namespace: 'school-a', name: 'acme', uid: 'uid-new' };
  const written = await registry.put(tenantInput({ owner: old }));
  const wrong = await t.throwsAsync(
    registry.put({ ...written, owner: adopter, generation: 2 }, { replacingOwner: 'uid-someone-else' }),
  );
  t.true(isRegistryError(wrong, 'TENANT_ID_TAKEN'));
  const adopted = await registry.put(
    { ...written, owner: adopter, generation: 2 },
    { replacingOwner: old.uid },
  );
  t.deepEqual((await registry.get(written.tenantId))?.owner, adopter);
  t.is(adopted.generation, 2);

  // Written by a version before owners: no `owner` field at all.
  const legacy = await registry.put(tenantInput());
  await db.collection('tenants').updateOne({ _id: legacy.tenantId as never }, { $unset: { owner: '' } });
  t.is((await registry.get(legacy.tenantId))?.owner, null);
  const claimed = await registry.put({ ...legacy, owner: old, generation: 2 }, { replacingOwner: null });
  t.deepEqual(claimed.owner, old);
});
