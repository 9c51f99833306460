/**
 * The `ReportStore` contract and the S3 specifics against any S3-compatible endpoint (MinIO, real
 * S3): S3_CONTRACT_ENDPOINT, S3_CONTRACT_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_REGION. That checks the conditional writes and multipart behaviour the embedded S3's shims
 * stand in for. Without the variables the tests skip and say why; with only some of them they
 * fail, naming the missing ones. Everything is written under a fresh folder and removed after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../lib/store';
import { describeS3StoreSpecifics } from './s3-specifics';
import { endpointTarget, removeTestObjects, type S3Target, s3TargetSetting } from './s3-target';
import { describeStoreContract } from './store-contract';

const setting = s3TargetSetting();

if (setting.run) {
  let target: S3Target;
  let storeCount = 0;

  beforeAll(() => {
    target = endpointTarget(setting.endpoint, setting.bucket);
  });

  afterAll(async () => {
    if (!target) return;
    await removeTestObjects(target);
    expect(await removeTestObjects(target)).toBe(0);
    target.client.destroy();
  });

  const newStore = async () => {
    storeCount += 1;
    return new S3Store({
      client: target.client,
      bucket: target.bucket,
      prefix: `${target.root}t${storeCount}/`,
    });
  };

  describeStoreContract(`S3Store on ${setting.endpoint}`, newStore);
  describeS3StoreSpecifics(setting.endpoint, () => target);
} else {
  describe('S3Store on S3_CONTRACT_ENDPOINT', () => {
    it('runs the ReportStore contract and the S3 specifics there', (context) => {
      if ('error' in setting) throw new Error(setting.error);
      context.skip(setting.reason);
    });
  });
}
