/**
 * UploadPartCopy for the embedded S3 (s3rver 3.7.1 answers it with 501 NotImplemented).
 *
 * Why this shim exists: the fan-out finalizer assembles each report CSV from part files with a
 * multipart upload whose large parts are copied inside S3 (`S3Store.compose`). Without this,
 * that path could only be tested on AWS. Before s3rver's router:
 * - PUT /bucket/key?partNumber=N&uploadId=… with `x-amz-copy-source: bucket/key` (URL-encoded,
 *   optional `?versionId=`, ignored) and optional `x-amz-copy-source-range: bytes=first-last`
 *   stores the source's bytes as part N through s3rver's own `putPart`, and answers
 *   `<CopyPartResult>` with the part's ETag, as S3 does;
 * - an unknown upload is 404 NoSuchUpload, a missing source 404 NoSuchKey (or NoSuchBucket),
 *   a bad part number, source or range 400 InvalidArgument / InvalidRequest.
 */
import { Readable } from 'node:stream';
import type { S3rverContext, S3rverFilesystemStore, S3rverMiddleware } from 's3rver';
import { noSuchUpload, uploadKey } from './multipart';
import { header, queryParam, replyWithS3Error, requestTarget, type S3Target } from './request';

const MAX_PART_NUMBER = 10_000;

/** Koa middleware answering UploadPartCopy; every other request passes through. */
export function partCopyMiddleware(store: S3rverFilesystemStore): S3rverMiddleware {
  return async (ctx, next) => {
    const target = requestTarget(ctx);
    const uploadId = queryParam(ctx, 'uploadId');
    const copySource = header(ctx, 'x-amz-copy-source');
    if (ctx.method !== 'PUT' || !target?.key || uploadId === undefined || copySource === undefined) {
      return next();
    }
    if ((await uploadKey(store, target.bucket, uploadId)) !== target.key) return noSuchUpload(ctx, uploadId);
    await copyPart(ctx, store, target, uploadId, copySource);
  };
}

async function copyPart(
  ctx: S3rverContext,
  store: S3rverFilesystemStore,
  target: S3Target,
  uploadId: string,
  copySource: string,
): Promise<void> {
  const partNumber = Number(queryParam(ctx, 'partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    return invalid(ctx, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}`);
  }
  const source = parseCopySource(copySource);
  if (source === undefined) return invalid(ctx, 'InvalidArgument', 'Invalid copy source');
  const range = parseRange(header(ctx, 'x-amz-copy-source-range'));
  if (range === null)
    return invalid(
      ctx,
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last',
    );
  if (!(await store.getBucket(source.bucket))) {
    return replyWithS3Error(ctx, {
      status: 404,
      code: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      detail: { BucketName: source.bucket },
    });
  }
  const object = await store.getObject(source.bucket, source.key, range);
  if (object === null) {
    return replyWithS3Error(ctx, {
      status: 404,
      code: 'NoSuchKey',
      message: 'The specified key does not exist.',
      detail: { Key: source.key },
    });
  }
  if (range && (object.content === null || range.end >= Number(object.metadata['content-length']))) {
    object.content?.destroy();
    return invalid(ctx, 'InvalidRequest', 'The specified copy source range is not satisfiable');
  }
  ctx.req.resume();
  const { md5 } = await store.putPart(
    target.bucket,
    uploadId,
    partNumber,
    object.content ?? Readable.from([]),
  );
  ctx.body = {
    CopyPartResult: { LastModified: new Date().toISOString(), ETag: JSON.stringify(md5) },
  };
}

/** `bucket/key` or `/bucket/key`, URL-encoded, maybe with `?versionId=…`; undefined when malformed. */
function parseCopySource(value: string): S3Target | undefined {
  const path = value.replace(/^\//, '').replace(/\?versionId=.*$/, '');
  const slash = path.indexOf('/');
  if (slash < 1 || slash === path.length - 1) return undefined;
  try {
    return {
      bucket: decodeURIComponent(path.slice(0, slash)),
      key: decodeURIComponent(path.slice(slash + 1)),
    };
  } catch {
    return undefined;
  }
}

/**
 * undefined: no range header; null: malformed; else the inclusive byte range. (s3rver reads
 * `end: 0` as "to the end", so `bytes=0-0` copies too much; nothing here asks for one byte.)
 */
function parseRange(value: string | undefined): { start: number; end: number } | undefined | null {
  if (value === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  return start <= end ? { start, end } : null;
}

function invalid(ctx: S3rverContext, code: string, message: string): void {
  replyWithS3Error(ctx, { status: 400, code, message });
}
