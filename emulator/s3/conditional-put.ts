/**
 * Conditional writes for the embedded S3 (s3rver 3.7.1).
 *
 * Why this shim exists: real S3 honours `If-None-Match: *` (since Aug 2024) and `If-Match:
 * <etag>` (since Nov 2024) on PutObject; that is how `S3Store.writeIfUnchanged` moves
 * `latest.json` safely when two runs finish at once. s3rver predates both and silently
 * ignores the headers, so locally every conditional write would "win" and the tests would
 * prove nothing. This middleware answers like S3 before s3rver's router sees the request:
 * 412 PreconditionFailed when the condition fails, 404 NoSuchKey for If-Match on an absent key.
 *
 * Check-then-write is only atomic because every write to one key (PUT, copy, multipart
 * completion) goes through a per-key promise chain here, and s3rver's PUT handler finishes
 * writing (data, then the .md5 file the ETag comes from) before the next one starts.
 *
 * Reads take the same per-key turn and buffer the object before letting go: s3rver rewrites an
 * object's file in place, so a GET streaming it while a PUT rewrites it would send fewer bytes
 * than its Content-Length (S3 itself never shows a half-written object).
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { S3rverContext, S3rverFilesystemStore, S3rverMiddleware } from 's3rver';
import { KeyedMutex } from '../../lib/store/keyed-mutex';
import {
  header,
  queryParam,
  replyWithS3Error,
  requestTarget,
  type S3ErrorReply,
  type S3Target,
} from './request';

// s3rver's object subresources: a PUT carrying one of these is not an object write.
const OBJECT_SUBRESOURCES = ['acl', 'legal-hold', 'retention', 'select', 'tagging', 'torrent', 'uploads'];

/** Koa middleware: serialises writes per key and evaluates If-Match / If-None-Match on PutObject. */
export function conditionalPutMiddleware(store: S3rverFilesystemStore): S3rverMiddleware {
  const writes = new KeyedMutex();
  return async (ctx, next) => {
    const target = requestTarget(ctx);
    if (target === undefined || target.key === '') return next();
    if (readsObject(ctx)) {
      return writes.run(`${target.bucket}/${target.key}`, async () => {
        await next();
        if (ctx.body instanceof Readable) ctx.body = await buffer(ctx.body);
      });
    }
    if (!writesObject(ctx)) return next();
    await writes.run(`${target.bucket}/${target.key}`, async () => {
      const failure = await preconditionFailure(ctx, store, target);
      if (failure === undefined) return next();
      replyWithS3Error(ctx, failure);
    });
  };
}

/** GetObject or HeadObject (not a subresource such as ?tagging or ?uploadId). */
function readsObject(ctx: S3rverContext): boolean {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  return queryParam(ctx, 'uploadId') === undefined && !OBJECT_SUBRESOURCES.some((name) => name in ctx.query);
}

/** PutObject, CopyObject or CompleteMultipartUpload (UploadPart writes a part, not the key). */
function writesObject(ctx: S3rverContext): boolean {
  const uploadId = queryParam(ctx, 'uploadId');
  if (ctx.method === 'POST') return uploadId !== undefined;
  return (
    ctx.method === 'PUT' && uploadId === undefined && !OBJECT_SUBRESOURCES.some((name) => name in ctx.query)
  );
}

async function preconditionFailure(
  ctx: S3rverContext,
  store: S3rverFilesystemStore,
  target: S3Target,
): Promise<S3ErrorReply | undefined> {
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  const plainPut = ctx.method === 'PUT' && header(ctx, 'x-amz-copy-source') === undefined;
  if (!plainPut) return notImplemented('conditional CopyObject / CompleteMultipartUpload are not emulated');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    return notImplemented('If-None-Match on PutObject supports only "*"');
  }
  // No bucket: let s3rver's router answer NoSuchBucket, as S3 would, rather than NoSuchKey.
  if (!(await store.getBucket(target.bucket))) return undefined;
  const etag = await currentEtag(store, target);
  if (ifNoneMatch !== undefined && etag !== undefined) return preconditionFailed('If-None-Match');
  if (ifMatch === undefined) return undefined;
  if (etag === undefined) {
    return {
      status: 404,
      code: 'NoSuchKey',
      message: 'The specified key does not exist.',
      detail: { Key: target.key },
    };
  }
  return etagMatches(ifMatch, etag) ? undefined : preconditionFailed('If-Match');
}

/** The object's current ETag, or undefined when it does not exist. */
async function currentEtag(store: S3rverFilesystemStore, target: S3Target): Promise<string | undefined> {
  try {
    return (await store.getMetadata(target.bucket, target.key)).etag;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** If-Match holds '*' or a comma-separated list of (possibly weak, quoted) ETags. */
function etagMatches(ifMatch: string, etag: string): boolean {
  const bare = (tag: string) => tag.trim().replace(/^W\//, '').replace(/"/g, '');
  return ifMatch.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === bare(etag));
}

function preconditionFailed(condition: string): S3ErrorReply {
  return {
    status: 412,
    code: 'PreconditionFailed',
    message: 'At least one of the pre-conditions you specified did not hold',
    detail: { Condition: condition },
  };
}

function notImplemented(message: string): S3ErrorReply {
  return { status: 501, code: 'NotImplemented', message };
}
