/**
 * S3Store on the embedded s3rver (with its shims): the `ReportStore` contract and the S3
 * specifics. s3-endpoint.test.ts runs the same against an S3 named in the environment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { type LocalS3, localS3ClientConfig, startLocalS3 } from '../../emulator/s3/local-s3';
import { S3Store } from '../../lib/store';
import { describeS3StoreSpecifics } from './s3-specifics';
import type { S3Target } from './s3-target';
import { describeStoreContract } from './store-contract';

let s3: LocalS3;
let target: S3Target;
let directory: string;
let storeCount = 0;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3-store-'));
  s3 = await startLocalS3({ directory });
  target = {
    label: 's3rver',
    bucket: s3.bucket,
    client: s3.client,
    newClient: () => new S3Client(localS3ClientConfig(s3.endpoint)),
    root: '',
  };
});

afterAll(async () => {
  await s3?.close();
  await rm(directory, { recursive: true, force: true });
});

/** A store under its own prefix, so tests sharing the bucket never see each other's keys. */
function newStore(): S3Store {
  storeCount += 1;
  return new S3Store({ client: s3.client, bucket: s3.bucket, prefix: `t${storeCount}/reports/` });
}

describeStoreContract('S3Store on s3rver', async () => newStore());
describeS3StoreSpecifics('s3rver', () => target);
