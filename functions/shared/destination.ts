/**
 * Where a report goes, from `--out` or REPORT_BUCKET: a local folder (one run's files directly
 * in it; the CLI replaces it whole, see functions/cli/folder-output) or S3 (the run folder
 * layout plus latest.json).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { FolderStore } from '../../lib/store/folder-store';
import { S3Store } from '../../lib/store/s3-store';
import type { ComposingStore } from '../../lib/store/store';
import { ConfigError, normalizePrefix } from './config';

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
  // Otherwise the SDK's own chain (AWS_REGION, the profile's region) decides.
  if (env.AWS_REGION?.trim()) config.region = env.AWS_REGION.trim();
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

/**
 * What can be checked before a run starts, so a mistake costs no API requests and gets exit 2
 * instead of a failure at the end: a folder path that is (or runs through) a file or cannot be
 * written, an S3 destination without an AWS region. `source` names where it came from
 * (`--out`, REPORT_BUCKET).
 */
export async function checkDestination(
  destination: Destination,
  source: string,
  s3: () => S3Client = () => s3ClientFromEnv(),
): Promise<void> {
  if (destination.kind === 'folder') return checkFolder(destination.dir, source);
  try {
    if (!(await s3().config.region())) throw new Error('empty region');
  } catch {
    const where = `s3://${destination.bucket}/${destination.prefix}`;
    throw new ConfigError(`no AWS region for ${source} ${where}: set AWS_REGION`);
  }
}

/** The folder, or else its nearest existing parent, must be a folder this process may write in. */
async function checkFolder(dir: string, source: string): Promise<void> {
  for (let path = dir; ; path = dirname(path)) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(path)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(path) !== path) continue;
      throw new ConfigError(`${source} ${dir}: cannot use ${path} (${code ?? 'unknown error'})`);
    }
    if (!isFolder) {
      throw new ConfigError(
        path === dir
          ? `${source} ${dir} is a file, not a folder`
          : `${source} ${dir}: ${path} is a file, not a folder`,
      );
    }
    try {
      await access(path, constants.W_OK);
    } catch {
      throw new ConfigError(`${source} ${dir}: no permission to write in ${path}`);
    }
    return;
  }
}
