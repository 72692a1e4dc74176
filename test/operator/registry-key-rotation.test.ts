import { randomBytes } from 'node:crypto';
import test from 'ava';
import { Keyring, RegistryCipher, TenantRegistry } from '../../contract/src/registry/index.ts';
import { eventually } from '../harness/eventually.ts';
import { isReady, operatorEnv } from './operator-fixtures.ts';

test('a newer registry key: the operator re-seals every record with it in the background while readers read on, then says the older key can go', async (t) => {
  const env = await operatorEnv(t);
  await env.createMongoCluster(env.name('c1'));
  const setup = await env.startOperator();
  const names = [1, 2, 3].map((i) => env.name(`k${i}`));
  for (const name of names) await env.createTenant(name, { displayName: name, subdomain: name });
  for (const name of names) await env.waitForTenant(name, isReady);
  await setup.stop();
  const before = await Promise.all(names.map((name) => env.registry.get(name)));

  // The platform adds a newer key to the keyring and rolls both halves.
  const older = Keyring.parse(env.registryKeys);
  const newer = { kid: '2026-06', key: new Uint8Array(randomBytes(32)) };
  const both = new Keyring([
    ...older.kids.map((kid) => older.get(kid) as { kid: string; key: Uint8Array }),
    newer,
  ]);
  const registry = new TenantRegistry({ db: env.registryDb, cipher: new RegistryCipher(both) });
  const operator = await env.startOperator({ registry, reseal: { batch: 1, intervalMs: 100 } });

  // An API pod with the new keyring reads every record throughout.
  const errors: string[] = [];
  let reads = 0;
  let reading = true;
  const reader = (async () => {
    while (reading) {
      for (const name of names) {
        await registry.get(name).then(
          () => reads++,
          (error: unknown) => errors.push(String(error)),
        );
      }
    }
  })();
  const left = async () =>
    (await operator.metricsRegistry.getSingleMetric('atrium_operator_registry_records_on_older_keys')?.get())
      ?.values[0]?.value;
  await eventually(
    'the operator says every record is re-sealed',
    () => env.logLines.some((l) => l.includes('older keys can leave the keyring')),
    Boolean,
    { timeoutMs: 30_000 },
  );
  reading = false;
  await reader;
  t.is(await left(), 0);
  t.true(reads > 0);
  t.deepEqual(errors, [], 'no read failed while records were re-sealed');
  t.true(
    env.logLines.some((l) => l.includes('registry records left on older keys')),
    'progress was logged',
  );

  // The newer key alone reads everything as it was; the start-up check lets it through.
  const newerOnly = new TenantRegistry({
    db: env.registryDb,
    cipher: new RegistryCipher(new Keyring([newer])),
  });
  await t.notThrowsAsync(newerOnly.assertKeyringCovers());
  t.deepEqual(
    (await Promise.all(names.map((name) => newerOnly.get(name)))).map((r) => r?.dbURI),
    before.map((r) => r?.dbURI),
  );
});
