/**
 * `S3Store.compose` done inside S3: one multipart upload whose large parts are UploadPartCopy
 * of existing objects (no bytes through this process) and whose other parts are uploaded by
 * streaming their pieces (see `./compose-plan` for which is which). Any failure aborts the
 * upload, so the target key keeps what it had and no parts are left to bill for.
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { PlannedPart } from './compose-plan';
import { concatPieces } from './concat-pieces';
import { StoreError } from './errors';
import type { ReportStore } from './store';

/** Parts sent at the same time (copies are cheap for us; uploads hold one part each in flight). */
const PART_CONCURRENCY = 4;
/**
 * Uploaded parts up to this size are read into memory first: a body of known bytes is what
 * every S3 client path (checksums included) handles; larger ones stream with their length.
 */
export const BUFFERED_PART_BYTES = 64 * 1024 * 1024;

/** Where the composed object goes and how its keys map to bucket keys. */
export interface S3ComposeTarget {
  client: S3Client;
  bucket: string;
  /** The store key's bucket key (the store's prefix prepended, validated). */
  objectKey(key: string): string;
  /** Reads source pieces of uploaded parts. */
  store: ReportStore;
  /** Uploaded parts up to this size are buffered (default BUFFERED_PART_BYTES). */
  bufferedPartBytes?: number;
}

/** The size of a stored key in bytes; a missing key is a `StoreError` naming it. */
export async function objectSize(target: S3ComposeTarget, key: string): Promise<number> {
  try {
    const head = await target.client.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: target.objectKey(key) }),
    );
    return head.ContentLength ?? 0;
  } catch (error) {
    const missing = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
    const what = missing ? 'it does not exist' : 'its size could not be read';
    throw new StoreError(`Cannot compose from "${key}" in ${target.store.location}: ${what}`, {
      cause: error,
    });
  }
}

/** Runs the planned multipart upload of `key`; returns how many parts were uploaded and copied. */
export async function composeByPartCopy(
  target: S3ComposeTarget,
  key: string,
  parts: readonly PlannedPart[],
  contentType: string,
): Promise<{ uploadedParts: number; copiedParts: number }> {
  const { client, bucket } = target;
  const objectKey = target.objectKey(key);
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey, ContentType: contentType }),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new StoreError(`S3 returned no upload ID for "${key}" in ${target.store.location}`);
  try {
    const etags = await mapWithConcurrency(parts, PART_CONCURRENCY, (part, index) =>
      sendPart(target, objectKey, uploadId, index + 1, part),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: objectKey,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
      }),
    );
  } catch (error) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId: uploadId }))
      .catch(() => {});
    throw new StoreError(`Could not compose "${key}" in ${target.store.location}`, { cause: error });
  }
  const copiedParts = parts.filter((part) => part.kind === 'copy').length;
  return { uploadedParts: parts.length - copiedParts, copiedParts };
}

/** One part: a server-side copy, or an upload of its pieces streamed with a known length. */
async function sendPart(
  target: S3ComposeTarget,
  objectKey: string,
  uploadId: string,
  partNumber: number,
  part: PlannedPart,
): Promise<string> {
  const common = { Bucket: target.bucket, Key: objectKey, UploadId: uploadId, PartNumber: partNumber };
  if (part.kind === 'copy') {
    const copied = await target.client.send(
      new UploadPartCopyCommand({
        ...common,
        CopySource: copySource(target.bucket, target.objectKey(part.key)),
      }),
    );
    return requireEtag(copied.CopyPartResult?.ETag, partNumber);
  }
  const body = concatPieces(target.store, part.pieces);
  const uploaded = await target.client.send(
    new UploadPartCommand({
      ...common,
      Body:
        part.bytes <= (target.bufferedPartBytes ?? BUFFERED_PART_BYTES)
          ? await collect(body, part.bytes)
          : Readable.from(body),
      ContentLength: part.bytes,
    }),
  );
  return requireEtag(uploaded.ETag, partNumber);
}

/** All of `chunks`, which must be exactly `bytes` long (a source that changed size since its HEAD is an error). */
async function collect(chunks: AsyncIterable<Uint8Array>, bytes: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const body = Buffer.concat(parts);
  if (body.length !== bytes) {
    throw new Error(`a part's sources changed while composing: expected ${bytes} bytes, read ${body.length}`);
  }
  return body;
}

/** `bucket/key`, each key segment URL-encoded as S3 expects (the '/' between them kept). */
function copySource(bucket: string, objectKey: string): string {
  return `${bucket}/${objectKey.split('/').map(encodeURIComponent).join('/')}`;
}

function requireEtag(etag: string | undefined, partNumber: number): string {
  if (!etag) throw new Error(`S3 returned no ETag for part ${partNumber}`);
  return etag;
}

/**
 * `fn` over `items` with at most `limit` running; results in item order. After a failure no
 * new item starts, and it rejects with the first error only once the running ones have
 * settled (an upload must not be aborted while its parts are still arriving).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const rejected = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}
