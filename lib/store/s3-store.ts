/**
 * `ReportStore` on an S3 bucket under a key prefix (the Lambdas, `--out s3://...`, and the
 * embedded s3rver of `npm start`).
 *
 * - `write` streams through `@aws-sdk/lib-storage` `Upload`: a PutObject for a body under one
 *   part, a multipart upload otherwise (a PutObject needs the length up front, which a stream
 *   produced while the report runs doesn't have). On failure the multipart upload is aborted.
 * - `writeIfUnchanged` uses S3's conditional writes (If-Match / If-None-Match on PutObject).
 * - Versions are ETags, quotes included, exactly as S3 returns them.
 * - `compose` copies part files of 5 MiB or more inside S3 (see `./s3-compose`), and streams
 *   the concatenation through `write` when no piece is big enough to copy.
 */

import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { abortable, bodyChunks } from './body';
import { planComposition, type SizedPiece } from './compose-plan';
import { concatPieces } from './concat-pieces';
import { InvalidKeyError, StoreError, storageErrorCode } from './errors';
import { MAX_KEY_BYTES, sortKeys, validateKey, validatePrefix } from './keys';
import { checkPresignOptions } from './presign-options';
import { composeByPartCopy, mapWithConcurrency, objectSize, type S3ComposeTarget } from './s3-compose';
import { PART_SIZE_BYTES } from './s3-limits';
import type { Body, ComposeResult, ComposingStore, Piece, PresignOptions, StoredObject } from './store';

/** Parts uploaded concurrently by one write. */
export const PART_QUEUE_SIZE = 4;

/** Where an S3Store keeps its objects. */
export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, e.g. 'reports/'; a missing trailing '/' is added. Default ''. */
  prefix?: string;
}

/** Keys per DeleteObjects request (S3's maximum). */
const DELETE_BATCH = 1000;

/** A report store in `bucket` under `prefix`; keys in and out are relative to the prefix. */
export class S3Store implements ComposingStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3StoreOptions) {
    if (!options.bucket) throw new TypeError('S3Store needs a bucket name');
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix ?? '');
    this.location = `s3://${this.bucket}/${this.prefix}`;
  }

  async write(
    key: string,
    body: Body,
    options: { contentType: string; signal?: AbortSignal },
  ): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.objectKey(key),
        // A signal abort makes the source throw, so Upload takes its own failure path: it
        // waits for parts in flight, then aborts the multipart upload.
        Body: Readable.from(abortable(bodyChunks(body), options.signal)),
        ContentType: options.contentType,
      },
      partSize: PART_SIZE_BYTES,
      queueSize: PART_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      await upload.abort();
      const leftover = await this.abortMultipart(key, upload.uploadId);
      if (options.signal?.aborted && leftover === undefined) throw options.signal.reason;
      const failure = StoreError.of('write', this.location + key, error);
      if (leftover) failure.message += leftover;
      throw failure;
    }
  }

  async read(key: string): Promise<StoredObject | undefined> {
    const response = await this.getObject(key);
    if (response?.Body === undefined) return undefined;
    return { body: await response.Body.transformToString('utf-8'), version: response.ETag ?? '' };
  }

  async readStream(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const response = await this.getObject(key);
    if (response?.Body === undefined) return undefined;
    // In Node the SDK's body is an IncomingMessage: a Readable, hence async-iterable.
    const body = response.Body as unknown as Partial<AsyncIterable<Uint8Array>>;
    if (typeof body[Symbol.asyncIterator] !== 'function') {
      throw new StoreError(`The S3 response body for "${key}" is not a Node stream`);
    }
    return body as AsyncIterable<Uint8Array>;
  }

  async writeIfUnchanged(
    key: string,
    body: string,
    expectedVersion: string | undefined,
    options: { contentType: string },
  ): Promise<boolean> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      Body: body,
      ContentType: options.contentType,
      ...(expectedVersion === undefined ? { IfNoneMatch: '*' } : { IfMatch: expectedVersion }),
    });
    try {
      await this.client.send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error, expectedVersion)) return false;
      throw StoreError.of('conditionally write', this.location + key, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    validatePrefix(prefix);
    const keys: string[] = [];
    try {
      const pages = paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: this.prefix + prefix },
      );
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key?.startsWith(this.prefix)) keys.push(object.Key.slice(this.prefix.length));
        }
      }
    } catch (error) {
      throw StoreError.of('list', this.location + prefix, error);
    }
    return sortKeys(keys);
  }

  async presign(key: string, options: PresignOptions): Promise<string> {
    const objectKey = this.objectKey(key);
    const checked = checkPresignOptions(key, options);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: objectKey,
      ResponseContentDisposition: checked.contentDisposition,
      ResponseContentType: checked.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: checked.expiresInSeconds });
  }

  async compose(
    key: string,
    pieces: readonly Piece[],
    options: { contentType: string },
  ): Promise<ComposeResult> {
    const target: S3ComposeTarget = {
      client: this.client,
      bucket: this.bucket,
      objectKey: (k) => this.objectKey(k),
      store: this,
    };
    const sized = await mapWithConcurrency(
      pieces,
      16,
      async (piece): Promise<SizedPiece> =>
        'text' in piece
          ? { text: piece.text, bytes: Buffer.byteLength(piece.text, 'utf8') }
          : { key: piece.key, bytes: await objectSize(target, piece.key) },
    );
    const parts = planComposition(sized);
    if (parts === undefined) {
      await this.write(key, concatPieces(this, pieces), options);
      return { strategy: 'stream' };
    }
    return {
      strategy: 'multipart-copy',
      ...(await composeByPartCopy(target, key, parts, options.contentType)),
    };
  }

  async remove(keys: readonly string[]): Promise<void> {
    const objectKeys = keys.map((key) => this.objectKey(key));
    for (let start = 0; start < objectKeys.length; start += DELETE_BATCH) {
      const batch = objectKeys.slice(start, start + DELETE_BATCH);
      let failures: string[];
      try {
        const response = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        failures = (response.Errors ?? []).map((e) => `${e.Key} (${e.Code})`);
      } catch (error) {
        throw StoreError.of(`remove ${batch.length} keys from`, this.location, error);
      }
      if (failures.length > 0) {
        throw new StoreError(`Could not remove from ${this.location}: ${failures.slice(0, 5).join(', ')}`);
      }
    }
  }

  /** The bucket key of a valid store key; the prefixed whole must still fit S3's limit. */
  private objectKey(key: string): string {
    validateKey(key);
    const objectKey = this.prefix + key;
    if (Buffer.byteLength(objectKey, 'utf8') > MAX_KEY_BYTES) {
      throw new InvalidKeyError(key, `longer than ${MAX_KEY_BYTES} bytes with the prefix "${this.prefix}"`);
    }
    return objectKey;
  }

  /** GetObject, or undefined when the key is absent. */
  private async getObject(key: string): Promise<GetObjectCommandOutput | undefined> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) });
    try {
      return await this.client.send(command);
    } catch (error) {
      if (isMissingKey(error)) return undefined;
      throw StoreError.of('read', this.location + key, error);
    }
  }

  /**
   * Upload aborts its own multipart upload before it rejects; this is the safety net for when
   * that abort itself failed. NoSuchUpload (404) means it is already gone. Returns a note for
   * the error message when the upload may remain, instead of hiding the original error.
   */
  private async abortMultipart(key: string, uploadId: string | undefined): Promise<string | undefined> {
    if (uploadId === undefined) return undefined;
    const command = new AbortMultipartUploadCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      UploadId: uploadId,
    });
    try {
      await this.client.send(command);
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      return ` (and aborting multipart upload ${uploadId} failed too: ${storageErrorCode(error) ?? 'unknown error'})`;
    }
    return undefined;
  }
}

/**
 * 412 PreconditionFailed: the ETag moved (or the key exists, for If-None-Match). 409
 * ConditionalRequestConflict: a concurrent conditional write won. 404 with If-Match: the key is gone.
 */
function isConditionFailure(error: unknown, expectedVersion: string | undefined): boolean {
  const status = httpStatus(error);
  return status === 412 || status === 409 || (expectedVersion !== undefined && isMissingKey(error));
}

/** A 404 for the key; a missing bucket is a configuration error, not an absent object. */
function isMissingKey(error: unknown): boolean {
  return httpStatus(error) === 404 && (error as { name?: string }).name !== 'NoSuchBucket';
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function normalisePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return validatePrefix(withSlash);
}
