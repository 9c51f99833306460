/**
 * The embedded S3 itself, through the real AWS SDK: startup on port 0, the bucket, and the
 * shims for what s3rver 3.7.1 lacks (conditional PutObject, abort/list multipart uploads,
 * S3's 5 MiB part minimum, UploadPartCopy).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_BUCKET, type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';

let s3: LocalS3;
const directories: string[] = [];

async function newDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'local-s3-'));
  directories.push(directory);
  return directory;
}

/** The SDK error a call rejects with, as { name, status }. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const error = (await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  )) as { name: string; $metadata?: { httpStatusCode?: number } };
  return { name: error.name, status: error.$metadata?.httpStatusCode };
}

beforeAll(async () => {
  s3 = await startLocalS3({ directory: await newDirectory() });
});

afterAll(async () => {
  await s3?.close();
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe('startLocalS3', () => {
  it('listens on a real port on 127.0.0.1 when given port 0, with the default bucket created', async () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(s3.endpoint).port)).toBeGreaterThan(0);
    expect(s3.bucket).toBe(DEFAULT_LOCAL_BUCKET);
    const head = await s3.client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
  });

  it('keeps data across restarts on the same directory, creating the bucket only if missing', async () => {
    const directory = await newDirectory();
    const first = await startLocalS3({ directory, bucket: 'persisted' });
    await first.client.send(
      new PutObjectCommand({ Bucket: 'persisted', Key: 'a/b.json', Body: '{"kept":true}' }),
    );
    await first.close();
    await first.close(); // idempotent

    const second = await startLocalS3({ directory, bucket: 'persisted' });
    const object = await second.client.send(new GetObjectCommand({ Bucket: 'persisted', Key: 'a/b.json' }));
    expect(await object.Body?.transformToString()).toBe('{"kept":true}');
    await second.close();
  });

  it('rejects an invalid bucket name', async () => {
    await expect(startLocalS3({ directory: await newDirectory(), bucket: '../Bad' })).rejects.toBeInstanceOf(
      RangeError,
    );
  });
});

describe('conditional PutObject shim', () => {
  const put = (key: string, body: string, condition: { IfMatch?: string; IfNoneMatch?: string }) =>
    s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body, ...condition }));

  it("If-None-Match: '*' creates once, then answers 412 PreconditionFailed", async () => {
    const created = await put('cond/new.json', '1', { IfNoneMatch: '*' });
    expect(created.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await failure(put('cond/new.json', '2', { IfNoneMatch: '*' }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
  });

  it('If-Match passes with the current ETag, answers 412 for a stale one and 404 for an absent key', async () => {
    const { ETag: first } = await put('cond/match.json', 'v1', {});
    const { ETag: second } = await put('cond/match.json', 'v2', { IfMatch: first });
    expect(second).not.toBe(first);
    expect(await failure(put('cond/match.json', 'v3', { IfMatch: first }))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(await failure(put('cond/absent.json', 'v1', { IfMatch: first }))).toEqual({
      name: 'NoSuchKey',
      status: 404,
    });
    const current = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'cond/match.json' }));
    expect(await current.Body?.transformToString()).toBe('v2');
  });

  it("answers with S3's error XML, also to a plain unsigned HTTP client", async () => {
    await put('cond/xml.json', '{}', {});
    const response = await fetch(`${s3.endpoint}/${s3.bucket}/cond/xml.json`, {
      method: 'PUT',
      headers: { 'If-None-Match': '*' },
      body: 'replacement',
    });
    expect(response.status).toBe(412);
    expect(response.headers.get('content-type')).toContain('application/xml');
    const xml = await response.text();
    expect(xml).toContain('<Code>PreconditionFailed</Code>');
    expect(xml).toContain('<Condition>If-None-Match</Condition>');
  });

  it('does not pretend to support If-None-Match with an ETag (S3 answers 501 too)', async () => {
    expect(await failure(put('cond/etag.json', 'x', { IfNoneMatch: '"abc"' }))).toEqual({
      name: 'NotImplemented',
      status: 501,
    });
  });
});

describe('multipart shim', () => {
  const create = (key: string) =>
    s3.client
      .send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: key }))
      .then((r) => r.UploadId!);
  const list = (prefix?: string) =>
    s3.client
      .send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: prefix }))
      .then((r) => (r.Uploads ?? []).map((u) => ({ key: u.Key, id: u.UploadId })));
  const abort = (key: string, uploadId: string) =>
    s3.client.send(new AbortMultipartUploadCommand({ Bucket: s3.bucket, Key: key, UploadId: uploadId }));

  it('lists pending uploads (prefix honoured) and aborts them', async () => {
    const a = await create('mp/a.csv');
    const b = await create('mp/b.csv');
    await create('other/c.csv').then((id) => abort('other/c.csv', id));
    expect(await list('mp/')).toEqual([
      { key: 'mp/a.csv', id: a },
      { key: 'mp/b.csv', id: b },
    ]);

    const aborted = await abort('mp/a.csv', a);
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    expect(await list('mp/')).toEqual([{ key: 'mp/b.csv', id: b }]);
    await abort('mp/b.csv', b);
    expect(await list()).toEqual([]);
  });

  it('answers NoSuchUpload for an aborted or unknown upload, and for the wrong key', async () => {
    const id = await create('mp/gone.csv');
    expect(await failure(abort('mp/other.csv', id))).toEqual({ name: 'NoSuchUpload', status: 404 });
    await abort('mp/gone.csv', id);
    expect(await failure(abort('mp/gone.csv', id))).toEqual({ name: 'NoSuchUpload', status: 404 });
    const part = s3.client.send(
      new UploadPartCommand({
        Bucket: s3.bucket,
        Key: 'mp/gone.csv',
        UploadId: id,
        PartNumber: 1,
        Body: 'x',
      }),
    );
    expect(await failure(part)).toEqual({ name: 'NoSuchUpload', status: 404 });
    expect(await failure(abort('mp/gone.csv', '../../etc'))).toEqual({ name: 'NoSuchUpload', status: 404 });
    expect(await list('mp/gone')).toEqual([]);
  });

  const complete = (key: string, uploadId: string, etags: (string | undefined)[]) =>
    s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: s3.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
  const copyPart = (key: string, uploadId: string, partNumber: number, source: string, range?: string) =>
    s3.client.send(
      new UploadPartCopyCommand({
        Bucket: s3.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        CopySource: source,
        CopySourceRange: range,
      }),
    );
  const read = (key: string) =>
    s3.client
      .send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
      .then((r) => r.Body!.transformToString());

  it('copies whole objects and byte ranges into parts (UploadPartCopy), like S3', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'mp/big part.csv', Body: big }));
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'mp/tail.csv', Body: 'a,b\r\n' }));
    const id = await create('mp/joined.csv');
    const first = await copyPart('mp/joined.csv', id, 1, `${s3.bucket}/mp/big%20part.csv`);
    const second = await copyPart('mp/joined.csv', id, 2, `/${s3.bucket}/mp/tail.csv`, 'bytes=2-4');
    expect(first.CopyPartResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    await complete('mp/joined.csv', id, [first.CopyPartResult?.ETag, second.CopyPartResult?.ETag]);
    expect(await read('mp/joined.csv')).toBe(`${big}b\r\n`);
    expect(await list('mp/joined')).toEqual([]);
  });

  it('refuses a missing source, an unknown upload and an unsatisfiable range', async () => {
    const id = await create('mp/bad.csv');
    expect(await failure(copyPart('mp/bad.csv', id, 1, `${s3.bucket}/mp/none.csv`))).toEqual({
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await failure(copyPart('mp/other.csv', id, 1, `${s3.bucket}/mp/tail.csv`))).toEqual({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(await failure(copyPart('mp/bad.csv', id, 1, `${s3.bucket}/mp/tail.csv`, 'bytes=3-99'))).toEqual({
      name: 'InvalidRequest',
      status: 400,
    });
    await abort('mp/bad.csv', id);
  });

  it('refuses to complete an upload with a part under 5 MiB before the last (EntityTooSmall), like S3', async () => {
    const id = await create('mp/small.csv');
    const parts = await Promise.all(
      [1, 2].map((n) =>
        s3.client.send(
          new UploadPartCommand({
            Bucket: s3.bucket,
            Key: 'mp/small.csv',
            UploadId: id,
            PartNumber: n,
            Body: 'x',
          }),
        ),
      ),
    );
    expect(
      await failure(
        complete(
          'mp/small.csv',
          id,
          parts.map((p) => p.ETag),
        ),
      ),
    ).toEqual({
      name: 'EntityTooSmall',
      status: 400,
    });
    await abort('mp/small.csv', id);
  });
});
