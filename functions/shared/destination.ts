/**
 * Where a report goes, from `--out` or REPORT_BUCKET: a local folder (the four files directly
 * in it) or S3 (the run folder layout plus latest.json).
 */
import { resolve } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { FolderStore } from '../../lib/store/folder-store';
import { S3Store } from '../../lib/store/s3-store';
import type { ComposingStore } from '../../lib/store/store';
import { normalizePrefix } from './config';

export type Destination = { kind: 'folder'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

/** `s3://bucket/prefix` or a folder path. */
export function parseDestination(out: string): Destination {
  if (!out.startsWith('s3://')) return { kind: 'folder', dir: resolve(out) };
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(out);
  if (!match) throw new Error(`invalid --out ${JSON.stringify(out)}: expected s3://bucket/prefix`);
  return { kind: 's3', bucket: match[1]!, prefix: normalizePrefix(match[2] ?? '') };
}

/**
 * An S3 client for the environment: AWS's default credentials and region, or a local
 * S3-compatible endpoint (AWS_ENDPOINT_URL_S3, e.g. s3rver), which needs path-style URLs.
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  const config: S3ClientConfig = endpoint
    ? {
        endpoint,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }
    : {};
  return new S3Client(config);
}

/** The store for a destination; both adapters can also compose (the fan-out's finalizer). */
export function storeFor(
  destination: Destination,
  s3: () => S3Client = () => s3ClientFromEnv(),
): ComposingStore {
  return destination.kind === 'folder'
    ? new FolderStore(destination.dir)
    : new S3Store({ client: s3(), bucket: destination.bucket, prefix: destination.prefix });
}
