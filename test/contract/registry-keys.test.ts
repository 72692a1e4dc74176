import test from 'ava';
import { isRegistryError, Keyring } from '../../contract/src/registry/index.ts';
import { tenantInput } from '../harness/tenant-record.ts';
import { openRegistry, randomKeyring } from './fixtures.ts';

/**
 * Retiring a registry key: records sealed with it are re-sealed with the newest key, a keyring
 * without a key that still seals records is refused, and once none does the key can go.
 */
test('records sealed with an older key are re-sealed with the newest in batches; only then may the older key leave the keyring', async (t) => {
  const old = randomKeyring('2026-01');
  const fixture = await openRegistry(old);
  t.teardown(fixture.close);
  const written = [];
  for (let i = 0; i < 7; i++) written.push(await fixture.registry.put(tenantInput()));
  await fixture.registry.putCluster({
    name: 'eu-1',
    labels: {},
    region: null,
    capacity: null,
    cordoned: false,
    weight: 100,
    reachable: true,
    serverVersion: null,
    flavour: null,
    tenantCount: 0,
    apiURI: 'mongodb://api:secret@eu-1:27017/',
    generation: 1,
  });
  // A record written before the key id was kept beside it: classified by its ciphertext.
  await fixture.db
    .collection('tenants')
    .updateOne({ _id: written[0]?.tenantId as never }, { $unset: { sealedWith: '' } });

  const oldKey = old.get('2026-01');
  if (!oldKey) throw new Error('no key');
  const newKey = { kid: '2026-06', key: new Uint8Array(32).fill(9) };
  const both = fixture.withKeyring(new Keyring([oldKey, newKey]));
  t.deepEqual(Object.fromEntries(await both.sealingKeys()), { '2026-01': 8 });

  // The newest key alone cannot read them yet, and says how many records still need the old one.
  const newOnly = fixture.withKeyring(new Keyring([newKey]));
  const refused = await t.throwsAsync(newOnly.assertKeyringCovers());
  t.true(isRegistryError(refused, 'INVALID_KEYRING'));
  t.regex(
    String(refused?.message),
    /8 registry record\(s\) are still sealed with key\(s\) no longer in the keyring/,
  );
  t.regex(String(refused?.message), /kids=2026-01/);

  t.is(await both.resealBatch(3), 3, 'a bounded batch');
  t.deepEqual(Object.fromEntries(await both.sealingKeys()), { '2026-01': 5, '2026-06': 3 });
  while ((await both.resealBatch(3)) > 0);
  t.deepEqual(Object.fromEntries(await both.sealingKeys()), { '2026-06': 8 });

  await t.notThrowsAsync(newOnly.assertKeyringCovers());
  for (const record of written) {
    const read = await newOnly.get(record.tenantId);
    t.is(read?.dbURI, record.dbURI);
    t.deepEqual(read?.signingKeys, record.signingKeys);
  }
  t.is((await newOnly.getCluster('eu-1'))?.apiURI, 'mongodb://api:secret@eu-1:27017/');
  // The old key no longer opens anything.
  const oldOnly = fixture.withKeyring(new Keyring([oldKey]));
  await t.throwsAsync(oldOnly.get(written[1]?.tenantId ?? ''));
});
