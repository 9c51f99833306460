/**
 * The S3 that the S3Store tests run against: the embedded s3rver always, and any S3-compatible
 * endpoint (MinIO, real S3) when the environment names one. The embedded S3 adds conditional
 * writes and multipart behaviour through shims; running the same tests on a real S3 checks that
 * the shims behave like the real thing.
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3ClientFromEnv } from '../../functions/shared/s3-client';
import { S3Store } from '../../lib/store';

/** One S3 bucket the tests may write to, under `root`. */
export interface S3Target {
  /** For test names: 's3rver' or the endpoint. */
  label: string;
  bucket: string;
  /** Shared by the tests; its owner destroys it. */
  client: S3Client;
  /** A client of its own with the same settings (the caller destroys it). */
  newClient(): S3Client;
  /** Every key the tests write starts with this: a run's own folder on a shared bucket. */
  root: string;
}

/** The variables that point the tests at an S3; the endpoint or the bucket turns them on. */
export const S3_CONTRACT_VARIABLES = [
  'S3_CONTRACT_ENDPOINT',
  'S3_CONTRACT_BUCKET',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
] as const;

/** What the environment says: run against an endpoint, skip (and why), or a setup mistake. */
export type S3TargetSetting =
  | { run: true; endpoint: string; bucket: string }
  | { run: false; reason: string }
  | { run: false; error: string };

/** Reads the S3_CONTRACT_* and AWS_* variables. Half a setting is an error, not a silent skip. */
export function s3TargetSetting(env: NodeJS.ProcessEnv = process.env): S3TargetSetting {
  const missing = S3_CONTRACT_VARIABLES.filter((name) => !env[name]);
  if (!env.S3_CONTRACT_ENDPOINT && !env.S3_CONTRACT_BUCKET) {
    return {
      run: false,
      reason: `no S3 to test against: set ${S3_CONTRACT_VARIABLES.join(', ')} to run these against it`,
    };
  }
  if (missing.length > 0) return { run: false, error: `S3 contract tests: ${missing.join(', ')} not set` };
  return { run: true, endpoint: env.S3_CONTRACT_ENDPOINT!, bucket: env.S3_CONTRACT_BUCKET! };
}

/**
 * A target on `endpoint`, with the client the CLI builds for an S3-compatible endpoint
 * (credentials and region from the AWS_* variables), under a folder of its own for this run.
 */
export function endpointTarget(endpoint: string, bucket: string): S3Target {
  const newClient = () => s3ClientFromEnv({ ...process.env, AWS_ENDPOINT_URL_S3: endpoint });
  return { label: endpoint, bucket, client: newClient(), newClient, root: `s3-contract/${randomUUID()}/` };
}

/** Removes every object the tests left under the target's root (the bucket may be shared). */
export async function removeTestObjects(target: S3Target): Promise<number> {
  const store = new S3Store({ client: target.client, bucket: target.bucket, prefix: target.root });
  const keys = await store.list('');
  await store.remove(keys);
  return keys.length;
}
