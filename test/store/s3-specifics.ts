/**
 * What S3Store does beyond the `ReportStore` contract, run against every S3 target
 * (s3-store.test.ts on the embedded s3rver, s3-endpoint.test.ts on a configured endpoint):
 * prefixes, multipart uploads and their abort, ETags as versions, presigned downloads, and a
 * missing bucket.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GetObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, S3Store, StoreError } from '../../lib/store';
import type { S3Target } from './s3-target';
import { collect, failingMidway } from './store-contract';

const MiB = 1024 * 1024;

async function* inChunks(data: Buffer, chunkSize: number) {
  for (let offset = 0; offset < data.length; offset += chunkSize)
    yield data.subarray(offset, offset + chunkSize);
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Defines the S3Store-specific describe blocks for the target `target()` returns once started. */
export function describeS3StoreSpecifics(label: string, target: () => S3Target): void {
  let storeCount = 0;

  /** A store under its own prefix, so tests sharing the bucket never see each other's keys. */
  function newStore(client: S3Client = target().client): S3Store {
    storeCount += 1;
    return new S3Store({
      client,
      bucket: target().bucket,
      prefix: `${target().root}specifics-${storeCount}/`,
    });
  }

  /** A client of its own that records the name of every command it sends. */
  function recordingClient(): { client: S3Client; commands: string[] } {
    const client = target().newClient();
    const commands: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize' },
    );
    return { client, commands };
  }

  /** Multipart uploads still open under the target's root. */
  async function pendingUploads(): Promise<unknown[]> {
    const { client, bucket, root } = target();
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: root }));
    return listed.Uploads ?? [];
  }

  describe(`S3Store on ${label}: specifics`, () => {
    it('names its location and keeps keys under the prefix, listing them without it', async () => {
      const { client, bucket, root } = target();
      const store = new S3Store({ client, bucket, prefix: `${root}listing/reports` });
      expect(store.location).toBe(`s3://${bucket}/${root}listing/reports/`);
      await store.write('acme/latest.json', '{}', { contentType: 'application/json' });
      const raw = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: `${root}listing/reports/acme/latest.json` }),
      );
      expect(raw.ContentType).toBe('application/json');
      expect(await store.list('acme/')).toEqual(['acme/latest.json']);
    });

    it('streams 12 MiB in 64 KiB chunks as a 3-part multipart upload, read back byte-identical', async () => {
      const { client, commands } = recordingClient();
      const store = newStore(client);
      const data = randomBytes(12 * MiB);
      await store.write('big/files.csv', inChunks(data, 64 * 1024), { contentType: 'text/csv' });

      expect(commands.filter((name) => name === 'CreateMultipartUploadCommand')).toHaveLength(1);
      expect(commands.filter((name) => name === 'UploadPartCommand')).toHaveLength(3); // 5 + 5 + 2 MiB
      expect(commands).toContain('CompleteMultipartUploadCommand');
      const stream = await store.readStream('big/files.csv');
      const back = await collect(stream!);
      expect(back.length).toBe(data.length);
      expect(sha256(back)).toBe(sha256(data));
      expect(await pendingUploads()).toEqual([]);
      client.destroy();
    });

    it('aborts the multipart upload when the source throws after the first part', async () => {
      const { client, commands } = recordingClient();
      const store = newStore(client);
      const seven = randomBytes(7 * MiB);
      const boom = new Error('API unreachable');
      const write = store.write(
        'big/failed.csv',
        failingMidway([seven.subarray(0, 4 * MiB), seven.subarray(4 * MiB)], boom),
        { contentType: 'text/csv' },
      );
      const error = await write.then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).cause).toBe(boom);
      expect(commands).toContain('UploadPartCommand');
      expect(commands).toContain('AbortMultipartUploadCommand');
      expect(commands).not.toContain('CompleteMultipartUploadCommand');
      expect(await store.read('big/failed.csv')).toBeUndefined();
      expect(await pendingUploads()).toEqual([]);
      client.destroy();
    });

    it('aborts the multipart upload when the signal aborts mid-stream', async () => {
      const store = newStore();
      const controller = new AbortController();
      async function* slowProducer() {
        yield randomBytes(6 * MiB); // one part goes out
        controller.abort(new Error('cancelled by the caller'));
        yield randomBytes(MiB);
      }
      const write = store.write('big/aborted.csv', slowProducer(), {
        contentType: 'text/csv',
        signal: controller.signal,
      });
      await expect(write).rejects.toThrow('cancelled by the caller');
      expect(await store.read('big/aborted.csv')).toBeUndefined();
      expect(await pendingUploads()).toEqual([]);
    });

    it('uses ETags as versions, usable with If-Match after a multipart write', async () => {
      const store = newStore();
      await store.write('big/latest.json', inChunks(randomBytes(6 * MiB), MiB), {
        contentType: 'application/json',
      });
      const current = await store.read('big/latest.json');
      expect(current?.version).toMatch(/^"[0-9a-f]{32}(-\d+)?"$/);
      expect(
        await store.writeIfUnchanged('big/latest.json', '{}', current!.version, {
          contentType: 'application/json',
        }),
      ).toBe(true);
    });

    it('presigns a GET that serves the bytes with an attachment filename, for at most 900 s', async () => {
      const store = newStore();
      const csv = 'session_id,name\n1,"Zoë"\n';
      await store.write('acme/2024-05-01/r1/files.csv', csv, { contentType: 'text/csv' });
      const url = await store.presign('acme/2024-05-01/r1/files.csv', {
        expiresInSeconds: 300,
        downloadName: 'acme files "May" é.csv',
        contentType: 'text/csv; charset=utf-8',
      });

      const parsed = new URL(url);
      expect(Number(parsed.searchParams.get('X-Amz-Expires'))).toBe(300);
      expect(parsed.searchParams.get('response-content-disposition')).toBe(
        attachmentDisposition('acme files "May" é.csv'),
      );
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(csv);
      // S3 echoes the response-* overrides (and s3rver does as S3 does).
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="acme files _May_ _.csv"; filename*=UTF-8''acme%20files%20%22May%22%20%C3%A9.csv`,
      );
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');

      const longest = new URL(await store.presign('acme/2024-05-01/r1/files.csv', { expiresInSeconds: 900 }));
      expect(Number(longest.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
      expect(longest.searchParams.get('response-content-disposition')).toContain('filename="files.csv"');
    });

    it('rejects a prefixed key over 1024 bytes', async () => {
      const { client, bucket } = target();
      const store = new S3Store({ client, bucket, prefix: 'p'.repeat(100) });
      await expect(store.read('k'.repeat(1000))).rejects.toThrow(/longer than 1024 bytes/);
    });
  });

  describe(`S3Store on ${label}: a missing bucket`, () => {
    it('fails loudly instead of reporting keys as absent', async () => {
      // A fresh name, so on a real S3 it is nobody's bucket.
      const bucket = `no-such-bucket-${randomUUID()}`;
      const store = new S3Store({ client: target().client, bucket });
      await expect(store.read('a.json')).rejects.toThrow(
        new RegExp(`^could not read s3://${bucket}/a\\.json: NoSuchBucket$`),
      );
      await expect(store.readStream('a.json')).rejects.toBeInstanceOf(StoreError);
      await expect(
        store.writeIfUnchanged('a.json', '{}', '"x"', { contentType: 'application/json' }),
      ).rejects.toBeInstanceOf(StoreError);
      await expect(store.list('')).rejects.toBeInstanceOf(StoreError);
    });
  });
}
