/**
 * Where a report goes, from `--out` or REPORT_BUCKET: a local folder (one run's files directly
 * in it; the CLI replaces it whole, see functions/cli/folder-output) or S3 (the run folder
 * layout plus latest.json). Nothing here loads the AWS SDK unless the destination is S3: a
 * report to a folder starts faster without it.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { FolderStore } from '../../lib/store/folder-store';
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

/** Makes an S3 client; async so that callers load the AWS SDK only when they need one. */
export type S3ClientFactory = () => S3Client | Promise<S3Client>;

/** `s3ClientFromEnv`, loaded on first use. */
export const lazyS3ClientFromEnv =
  (env: NodeJS.ProcessEnv = process.env): S3ClientFactory =>
  async () =>
    (await import('./s3-client')).s3ClientFromEnv(env);

/**
 * The store for a destination; both adapters can also compose (the fan-out's finalizer). The
 * S3 adapter, and with it the AWS SDK, is loaded only for an S3 destination.
 */
export async function storeFor(
  destination: Destination,
  s3: S3ClientFactory = lazyS3ClientFromEnv(),
): Promise<ComposingStore> {
  if (destination.kind === 'folder') return new FolderStore(destination.dir);
  const { S3Store } = await import('../../lib/store/s3-store');
  return new S3Store({ client: await s3(), bucket: destination.bucket, prefix: destination.prefix });
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
  s3: S3ClientFactory = lazyS3ClientFromEnv(),
): Promise<void> {
  if (destination.kind === 'folder') return checkFolder(destination.dir, source);
  try {
    if (!(await (await s3()).config.region())) throw new Error('empty region');
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
