/**
 * The embedded S3 for `npm start` and the tests: s3rver 3.7.1 in-process on 127.0.0.1, with
 * shims for what it lacks (conditional writes; aborting and listing multipart uploads and S3's
 * 5 MiB part minimum; UploadPartCopy), and an S3Client configured for it. Its data lives under
 * `directory` (callers pass a git-ignored folder such as .data/s3, or a temp dir).
 *
 * Not emulated (s3rver answers 501 NotImplemented): ListParts. Signatures are not verified.
 */

import { mkdir } from 'node:fs/promises';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type S3rver from 's3rver';
import { conditionalPutMiddleware } from './conditional-put';
import { multipartMiddleware } from './multipart';
import { partCopyMiddleware } from './part-copy';

/** The bucket `startLocalS3` creates unless told otherwise. */
export const DEFAULT_LOCAL_BUCKET = 'ingestion-reports';

/** A running embedded S3. */
export interface LocalS3 {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  bucket: string;
  /** Configured for this server (`localS3ClientConfig`); destroyed by `close`. */
  client: S3Client;
  /** Stops the server (dropping open connections, so it never waits on keep-alive sockets). */
  close(): Promise<void>;
}

/** Where and how to run the embedded S3. */
export interface LocalS3Options {
  /** Where the objects live; created if missing. */
  directory: string;
  /** Default 0: any free port (read back from the server). */
  port?: number;
  /** Created if missing. Default `ingestion-reports`. */
  bucket?: string;
  /** Default true: no request log. */
  silent?: boolean;
}

// S3's rules for new bucket names (lowercase letters, digits, dots, hyphens; 3..63).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** S3Client settings for s3rver: path-style URLs, its fixed dummy credentials, no default checksums. */
export function localS3ClientConfig(endpoint: string): S3ClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    // s3rver predates the SDK's default CRC32 checksums (aws-chunked bodies, trailers).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/**
 * Starts s3rver on 127.0.0.1 and creates the bucket.
 *
 * @example
 * const s3 = await startLocalS3({ directory: '.data/s3' });
 * const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: 'reports/' });
 * // ...
 * await s3.close();
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const { directory, port = 0, bucket = DEFAULT_LOCAL_BUCKET, silent = true } = options;
  if (!BUCKET_NAME.test(bucket)) throw new RangeError(`Invalid bucket name for the local S3: "${bucket}"`);
  await mkdir(directory, { recursive: true });
  // Loaded on demand: `./index` re-exports this module, and a Lambda importing the store
  // must not load s3rver (Koa, winston) at cold start.
  const { default: S3rverServer } = await import('s3rver');
  const server = new S3rverServer({ directory, port, address: '127.0.0.1', silent });
  installShims(server);
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client(localS3ClientConfig(endpoint));
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= stop(server, client);
    return closed;
  };
  try {
    await server.store.putBucket(bucket);
  } catch (error) {
    await close();
    throw new Error(`Could not create bucket "${bucket}" in the local S3 at ${directory}`, { cause: error });
  }
  return { endpoint, bucket, client, close };
}

/** Puts the shims right before s3rver's router: after its XML encoding and error handling. */
function installShims(server: S3rver): void {
  const router = server.middleware.at(-1);
  // koa-router's routes() is named 'dispatch'; if s3rver's layout changes, fail loudly here.
  if (router?.name !== 'dispatch')
    throw new Error('s3rver layout changed: its router is not the last middleware');
  server.middleware.splice(
    -1,
    0,
    multipartMiddleware(server.store),
    partCopyMiddleware(server.store),
    conditionalPutMiddleware(server.store),
  );
}

async function stop(server: S3rver, client: S3Client): Promise<void> {
  client.destroy();
  server.httpServer?.closeAllConnections();
  await server.close();
}
