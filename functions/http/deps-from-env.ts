/**
 * The HTTP app's dependencies on Lambda, from the environment (design, "Configuration"):
 * the report bucket and prefix, the API URL, and the key from Secrets Manager (cached by
 * Powertools) or DEEPSET_API_KEY. Invalid configuration throws a ConfigError naming the variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { UploadSessionsClient } from '../../lib/api';
import { S3Store } from '../../lib/store/s3-store';
import { resolveApiKey } from '../shared/api-key';
import { ConfigError, EU_API_URL, loadConfig } from '../shared/config';
import { s3ClientFromEnv } from '../shared/s3-client';
import type { HttpDeps } from './deps';

export const SERVICE_NAME = 'ingestion-reports-http';

/** Builds the deps once; call it lazily (first request), so a bad variable fails a request, logged, not the import. */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpDeps {
  const config = loadConfig(env);
  if (!config.reportBucket) throw new ConfigError('invalid REPORT_BUCKET: required for the HTTP function');
  const store = new S3Store({
    client: s3ClientFromEnv(env),
    bucket: config.reportBucket,
    prefix: config.reportPrefix,
  });
  const powertools = new Logger({ serviceName: SERVICE_NAME });
  return {
    store,
    logger: {
      info: (message, fields = {}) => powertools.info(message, fields),
      error: (message, fields = {}) => powertools.error(message, fields),
    },
    createClient: async () =>
      new UploadSessionsClient({
        baseUrl: config.apiUrl ?? EU_API_URL,
        apiKey: await resolveApiKey(config),
        concurrency: config.concurrency,
      }),
  };
}
