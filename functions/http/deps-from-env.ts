/**
 * The HTTP app's dependencies on Lambda, from the environment:
 * the report bucket and prefix, the API URL, and the key from Secrets Manager (cached by
 * Powertools) or DEEPSET_API_KEY, who may call (HTTP_AUTH: on Lambda never open), and the run
 * function that started runs are handed to (RUN_FUNCTION_NAME). Invalid
 * configuration throws a ConfigError naming the variable.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { S3Store } from '../../lib/store/s3-store';
import { EU_API_URL, loadConfig, loadPublicBaseUrl, optionalText, parseEnv } from '../shared/config';
import { apiClientFactory, requireReportBucket } from '../shared/lambda-report-deps';
import { messageLogOf } from '../shared/powertools';
import { s3ClientFromEnv } from '../shared/s3-client';
import { loadAuthConfig } from './auth/auth-config';
import type { HttpDeps } from './deps';
import { lambdaRunLauncher } from './lambda-run-launcher';

const RunFunctionEnv = z.object({ RUN_FUNCTION_NAME: optionalText });

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
  // RUN_FUNCTION_NAME: runs go on in the run function. Unset, in this process (which Lambda
  // freezes after the answer: the deployed stack always sets it).
  const runFunction = parseEnv(RunFunctionEnv, env).RUN_FUNCTION_NAME;
  return {
    store,
    auth,
    ...(runFunction
      ? { runLauncher: lambdaRunLauncher({ client: new LambdaClient({}), functionName: runFunction }) }
      : {}),
    publicBaseUrl,
    logger: messageLogOf(powertools),
    createClient: apiClientFactory({ ...config, apiUrl: config.apiUrl ?? EU_API_URL }),
    runLease: { settings: { stuckAfterHours: config.stuckAfterHours } },
  };
}
