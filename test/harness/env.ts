import { randomBytes } from 'node:crypto';

/**
 * The servers the test runner (test/harness/run.ts) started for this run. Tests read their
 * addresses here; a test file run outside the runner fails with a message saying how to run it.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run tests through \`npm test [-- files…]\` (or scripts/test.sh)`);
  }
  return value;
}

export const testServers = {
  mongoUris: (): string[] => required('ATRIUM_TEST_MONGO_URIS').split(','),
  mongoFlavour: (): 'ferretdb' | 'mongodb' =>
    required('ATRIUM_TEST_MONGO_FLAVOUR') === 'mongodb' ? 'mongodb' : 'ferretdb',
  redisUrl: (): string => required('ATRIUM_TEST_REDIS_URL'),
  kubeconfig: (): string => required('ATRIUM_TEST_KUBECONFIG'),
  kubectl: (): string => required('ATRIUM_TEST_KUBECTL'),
  toxiproxyUrl: (): string => required('ATRIUM_TEST_TOXIPROXY_URL'),
  /** versitygw: an S3 API over a local folder; address it path-style. */
  s3: (): TestS3 => ({
    endpoint: required('ATRIUM_TEST_S3_ENDPOINT'),
    region: required('ATRIUM_TEST_S3_REGION'),
    credentials: {
      accessKeyId: required('ATRIUM_TEST_S3_ACCESS_KEY_ID'),
      secretAccessKey: required('ATRIUM_TEST_S3_SECRET_ACCESS_KEY'),
    },
    forcePathStyle: true,
  }),
};

export interface TestS3 {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: true;
}

/** A database or key-prefix name no other test (or test file running in parallel) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}
