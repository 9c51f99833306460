/**
 * The multipart-upload housekeeping s3rver 3.7.1 lacks.
 *
 * Why this shim exists: s3rver implements CreateMultipartUpload, UploadPart and
 * CompleteMultipartUpload, but answers AbortMultipartUpload with 405 MethodNotAllowed and
 * ListMultipartUploads with 501 NotImplemented. `S3Store.write` must abort a failed upload
 * (lib-storage's `Upload` calls AbortMultipartUpload, and on real S3 a forgotten upload bills
 * for its parts), and the tests must be able to see that none is left. So, before s3rver's router:
 * - DELETE /bucket/key?uploadId=…  removes the upload's folder (204; 404 NoSuchUpload if unknown);
 * - GET /bucket?uploads             lists pending uploads (one page, up to 1000, `prefix` honoured);
 * - UploadPart / CompleteMultipartUpload of an unknown (e.g. aborted) upload is 404 NoSuchUpload,
 *   as on S3, instead of s3rver silently recreating its folder or failing with a 500;
 * - CompleteMultipartUpload with a part under 5 MiB that is not the last is 400 EntityTooSmall,
 *   as on S3 (s3rver accepts it), so code that composes objects from parts is held to S3's rule
 *   locally. Simplification: every uploaded part counts, not only the parts the request lists
 *   (our callers always complete with every part they uploaded).
 * UploadPartCopy is `./part-copy`. Not emulated: ListParts.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3rverContext, S3rverFilesystemStore, S3rverMiddleware } from 's3rver';
import { MIN_PART_BYTES } from '../../lib/store/s3-limits';
import { header, queryParam, replyWithS3Error, requestTarget, type S3Target } from './request';

const MAX_UPLOADS = 1000;
// s3rver's upload IDs: 16 random bytes in hex. Anything else can't be one (and can't traverse).
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/** Koa middleware answering AbortMultipartUpload and ListMultipartUploads, and guarding the other upload calls. */
export function multipartMiddleware(store: S3rverFilesystemStore): S3rverMiddleware {
  return async (ctx, next) => {
    const target = requestTarget(ctx);
    const uploadId = queryParam(ctx, 'uploadId');
    if (target === undefined) return next();
    if (ctx.method === 'GET' && target.key === '' && 'uploads' in ctx.query) {
      return listUploads(ctx, store, target.bucket);
    }
    if (target.key === '' || uploadId === undefined) return next();
    if (ctx.method === 'DELETE') return abortUpload(ctx, store, target, uploadId);
    const isUploadPart = ctx.method === 'PUT' && header(ctx, 'x-amz-copy-source') === undefined;
    const isComplete = ctx.method === 'POST';
    if ((isUploadPart || isComplete) && (await uploadKey(store, target.bucket, uploadId)) !== target.key) {
      return noSuchUpload(ctx, uploadId);
    }
    if (isComplete && (await hasSmallPartBeforeLast(store, target.bucket, uploadId))) {
      return replyWithS3Error(ctx, {
        status: 400,
        code: 'EntityTooSmall',
        message: 'Your proposed upload is smaller than the minimum allowed object size.',
      });
    }
    return next();
  };
}

async function abortUpload(
  ctx: S3rverContext,
  store: S3rverFilesystemStore,
  target: S3Target,
  uploadId: string,
) {
  if ((await uploadKey(store, target.bucket, uploadId)) !== target.key) return noSuchUpload(ctx, uploadId);
  await rm(uploadDir(store, target.bucket, uploadId), { recursive: true, force: true });
  ctx.status = 204;
}

async function listUploads(ctx: S3rverContext, store: S3rverFilesystemStore, bucket: string) {
  if (!(await store.getBucket(bucket))) {
    return replyWithS3Error(ctx, {
      status: 404,
      code: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      detail: { BucketName: bucket },
    });
  }
  const prefix = queryParam(ctx, 'prefix') ?? '';
  const uploads = (await pendingUploads(store, bucket)).filter((upload) => upload.Key.startsWith(prefix));
  uploads.sort((a, b) => (a.Key === b.Key ? a.Initiated.localeCompare(b.Initiated) : a.Key < b.Key ? -1 : 1));
  ctx.body = {
    ListMultipartUploadsResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Bucket: bucket,
      Prefix: prefix,
      KeyMarker: '',
      UploadIdMarker: '',
      MaxUploads: MAX_UPLOADS,
      IsTruncated: uploads.length > MAX_UPLOADS,
      Upload: uploads.slice(0, MAX_UPLOADS),
    },
  };
}

async function pendingUploads(store: S3rverFilesystemStore, bucket: string) {
  let ids: string[];
  try {
    ids = (await readdir(store.getResourcePath(bucket, undefined, 'uploads'))).filter((id) =>
      UPLOAD_ID.test(id),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const uploads = await Promise.all(
    ids.map(async (id) => {
      const key = await uploadKey(store, bucket, id);
      if (key === undefined) return undefined;
      const initiated = (await stat(uploadDir(store, bucket, id))).birthtime.toISOString();
      return { Key: key, UploadId: id, StorageClass: 'STANDARD', Initiated: initiated };
    }),
  );
  return uploads.filter((upload) => upload !== undefined);
}

/** Whether a part other than the highest-numbered one is under 5 MiB. */
async function hasSmallPartBeforeLast(store: S3rverFilesystemStore, bucket: string, uploadId: string) {
  const dir = uploadDir(store, bucket, uploadId);
  const numbers = (await readdir(dir))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  const sizes = await Promise.all(
    numbers.slice(0, -1).map(async (n) => (await stat(join(dir, String(n)))).size),
  );
  return sizes.some((size) => size < MIN_PART_BYTES);
}

/** The key an upload was created for, or undefined when there is no such upload. */
export async function uploadKey(
  store: S3rverFilesystemStore,
  bucket: string,
  uploadId: string,
): Promise<string | undefined> {
  if (!UPLOAD_ID.test(uploadId)) return undefined;
  try {
    return (await readFile(join(uploadDir(store, bucket, uploadId), 'key'))).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function uploadDir(store: S3rverFilesystemStore, bucket: string, uploadId: string): string {
  // s3rver's own layout function, so this follows wherever it keeps uploads.
  return join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
}

/** Answers 404 NoSuchUpload, as S3 does for an unknown, aborted or completed upload. */
export function noSuchUpload(ctx: S3rverContext, uploadId: string): void {
  replyWithS3Error(ctx, {
    status: 404,
    code: 'NoSuchUpload',
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    detail: { UploadId: uploadId },
  });
}
