/**
 * How a store failure is reduced to a code for its one-line message: S3's code, the system's
 * code (also inside an AggregateError, as Node reports a refused connection to every address of
 * a host), and nothing for errors that did not come from the storage.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { StoreError, storageErrorCode } from '../../lib/store/errors';

describe('storageErrorCode', () => {
  it('reads the code of a real system error, and of one inside an AggregateError', async () => {
    const missing = await readFile('/no/such/file').catch((error: unknown) => error);
    expect(storageErrorCode(missing)).toBe('ENOENT');
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:9'), { code: 'ECONNREFUSED' });
    expect(storageErrorCode(new AggregateError([refused]))).toBe('ECONNREFUSED');
  });

  it('takes an S3 error name but none of its message', () => {
    const s3 = Object.assign(new Error('The specified bucket <b>evil</b> does not exist'), {
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
    const error = StoreError.of('write', 's3://b/p/k.csv', s3);
    expect(error.message).toBe('could not write s3://b/p/k.csv: NoSuchBucket');
    expect(error.code).toBe('NoSuchBucket');
  });

  it('has no code for a failure that did not come from the storage', () => {
    const error = StoreError.of('write', '/out/files.csv', new Error('the API could not be reached'));
    expect(error.message).toBe('could not write /out/files.csv');
    expect(error.code).toBeUndefined();
  });
});
