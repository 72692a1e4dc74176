import test from 'ava';
import { ConfigError, loadOperatorConfig } from '../../operator/src/config.ts';

const base = {
  REGISTRY_MONGO_URI: 'mongodb://admin:s3cret@db.example:27017/',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ATRIUM_REGISTRY_KEYS: 'k1:AAAA',
};

test('lease timings a leader could outlive are refused at start, naming the variables', (t) => {
  const error = t.throws(
    () => loadOperatorConfig({ ...base, LEASE_DURATION_MS: '3000', LEASE_RENEW_DEADLINE_MS: '10000' }),
    { instanceOf: ConfigError },
  );
  t.regex(error?.message ?? '', /LEASE_DURATION_MS > LEASE_RENEW_DEADLINE_MS > LEASE_RETRY_MS/);
  t.throws(() => loadOperatorConfig({ ...base, LEASE_RENEW_DEADLINE_MS: '2000', LEASE_RETRY_MS: '2000' }), {
    instanceOf: ConfigError,
  });
  const config = loadOperatorConfig({
    ...base,
    LEASE_DURATION_MS: '3000',
    LEASE_RENEW_DEADLINE_MS: '2000',
    LEASE_RETRY_MS: '250',
  });
  t.is(config.LEASE_RENEW_DEADLINE_MS, 2000);
});

test('a bad value names the variable and never echoes the secret it sits next to', (t) => {
  const error = t.throws(() => loadOperatorConfig({ ...base, HTTP_PORT: 'eighty' }), {
    instanceOf: ConfigError,
  });
  t.regex(error?.message ?? '', /HTTP_PORT/);
  t.false(error?.message.includes('s3cret'));
});
