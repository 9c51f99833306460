/**
 * What every Lambda function (HTTP, nightly, fan-out) needs from its environment: the
 * configuration with an API URL, and the S3 report store on REPORT_BUCKET/REPORT_PREFIX. Unlike
 * the CLI, there is no embedded emulator and no folder output.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { UploadSessionsClient } from '../../lib/api';
import { S3Store } from '../../lib/store/s3-store';
import { resolveApiKey, type SecretReader } from './api-key';
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
  const reportBucket = requireReportBucket(config, who);
  const { apiUrl } = config;
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

/** REPORT_BUCKET, which every function writes to or reads from; `who` names the function. */
export function requireReportBucket(config: Config, who: string): string {
  if (!config.reportBucket) throw new ConfigError(`invalid REPORT_BUCKET: required by ${who}`);
  return config.reportBucket;
}

/**
 * A fresh API client for each run (its own counters), with the key from Secrets Manager
 * (cached by Powertools) or DEEPSET_API_KEY, resolved when the run starts.
 */
export function apiClientFactory(
  config: Pick<Config, 'apiKey' | 'apiKeySecretArn' | 'concurrency'> & { apiUrl: string },
  readSecret?: SecretReader,
): () => Promise<UploadSessionsClient> {
  return async () =>
    new UploadSessionsClient({
      baseUrl: config.apiUrl,
      apiKey: await resolveApiKey(config, readSecret),
      concurrency: config.concurrency,
    });
}
