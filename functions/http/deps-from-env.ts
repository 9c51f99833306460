/**
 * The HTTP app's dependencies on Lambda, from the environment:
 * the report bucket and prefix, the API URL, and the key from Secrets Manager (cached by
 * Powertools) or DEEPSET_API_KEY, and who may call (HTTP_AUTH: on Lambda never open). Invalid
 * configuration throws a ConfigError naming the variable.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { UploadSessionsClient } from '../../lib/api';
import { S3Store } from '../../lib/store/s3-store';
import { resolveApiKey } from '../shared/api-key';
import { EU_API_URL, loadConfig } from '../shared/config';
import { requireReportBucket } from '../shared/lambda-report-deps';
import { s3ClientFromEnv } from '../shared/s3-client';
import { loadAuthConfig, loadPublicBaseUrl } from './auth/auth-config';
import type { HttpDeps } from './deps';

/**
 * Builds the deps once; call it lazily (first request), so a bad variable fails a request,
 * logged, not the import. `powertools` is the function's logger (./lambda-handler).
 */
export function depsFromEnv(env: NodeJS.ProcessEnv, powertools: Logger): HttpDeps {
  const auth = loadAuthConfig(env);
  const publicBaseUrl = loadPublicBaseUrl(env);
  const config = loadConfig(env);
  const bucket = requireReportBucket(config, 'the HTTP function');
  const store = new S3Store({ client: s3ClientFromEnv(env), bucket, prefix: config.reportPrefix });
  return {
    store,
    auth,
    publicBaseUrl,
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
