import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import test from 'ava';
import { testServers, uniqueName } from './env.ts';

test('versitygw serves a real S3 API: a bucket is created, an object written and read back, unsigned requests refused', async (t) => {
  const s3 = testServers.s3();
  const client = new S3Client(s3);
  t.teardown(() => client.destroy());
  const bucket = uniqueName('harness').replaceAll('_', '-');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  t.teardown(async () => {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'hello, tenant' }));
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }));
  t.is(await object.Body?.transformToString(), 'hello, tenant');

  const unsigned = await fetch(`${s3.endpoint}/${bucket}/a/b.txt`);
  t.is(unsigned.status, 403, 'an unsigned request is refused, as on AWS');
});
