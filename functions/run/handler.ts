/**
 * Lambda entry of the run function (invoked asynchronously by the HTTP function with
 * `{"workspace", "mode", "run_id"}`): one report run, published to REPORT_BUCKET. The logic is
 * in `run-handler.ts`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { resolveApiKey } from '../shared/api-key';
import { loadLambdaReportDeps } from '../shared/lambda-report-deps';
import { clientFactory, createRunHandler, type RunHandlerDeps } from './run-handler';

const logger = new Logger({ serviceName: 'ingestion-reports-run' });
let deps: RunHandlerDeps | undefined;

/** Built on the first invocation and kept while the container lives. */
export const handler = createRunHandler(() => {
  if (deps) return deps;
  const { config, store } = loadLambdaReportDeps('the run function');
  deps = {
    store,
    createClient: clientFactory(config.apiUrl, () => resolveApiKey(config), config.concurrency),
    logger: {
      info: (message, fields = {}) => logger.info(message, fields as Record<string, unknown>),
      error: (message, fields = {}) => logger.error(message, fields as Record<string, unknown>),
    },
  };
  return deps;
});
