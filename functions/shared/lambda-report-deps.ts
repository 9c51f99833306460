/**
 * What every report Lambda (nightly, fan-out) needs from its environment: the configuration
 * with an API URL, and the S3 report store on REPORT_BUCKET/REPORT_PREFIX. Unlike the CLI,
 * there is no embedded emulator and no folder output. Also the parser of the functions' own
 * whole-number variables.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { S3Store } from '../../lib/store/s3-store';
import { type Config, ConfigError, loadConfig } from './config';
import { s3ClientFromEnv } from './s3-client';

export interface LambdaReportDeps {
  config: Config & { apiUrl: string; reportBucket: string };
  store: S3Store;
}

/** Throws a `ConfigError` naming the variable; `who` says which function needs it. */
export function loadLambdaReportDeps(
  who: string,
  env: NodeJS.ProcessEnv = process.env,
  s3: () => S3Client = () => s3ClientFromEnv(env),
): LambdaReportDeps {
  const config = loadConfig(env);
  const { apiUrl, reportBucket } = config;
  if (!reportBucket) throw new ConfigError(`invalid REPORT_BUCKET: required by ${who}`);
  if (!apiUrl) {
    throw new ConfigError(
      `invalid DEEPSET_API_KEY_SECRET_ARN: required by ${who} (or DEEPSET_API_KEY when run locally)`,
    );
  }
  return {
    config: { ...config, apiUrl, reportBucket },
    store: new S3Store({ client: s3(), bucket: reportBucket, prefix: config.reportPrefix }),
  };
}

/** An optional variable holding a whole number >= 1 (blank counts as unset). */
export const optionalWholeNumber = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined))
  .pipe(
    z
      .string()
      .regex(/^[1-9]\d*$/, 'expected a whole number >= 1')
      .transform(Number)
      .optional(),
  );

/** Parses a function's own variables; throws a `ConfigError` naming the first bad one. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`invalid ${String(issue.path[0])}: ${issue.message}`);
}
