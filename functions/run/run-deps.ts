/**
 * The run function's dependencies on Lambda: the report store and the API client from the
 * environment (as the nightly function has them), and its Powertools logger. Built on the first
 * invocation and kept while the container lives.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { apiClientFactory, loadLambdaReportDeps } from '../shared/lambda-report-deps';
import type { RunHandlerDeps } from './run-handler';

export function runDepsFromEnv(logger: Logger): () => RunHandlerDeps {
  let deps: RunHandlerDeps | undefined;
  return () => {
    if (deps) return deps;
    const { config, store } = loadLambdaReportDeps('the run function');
    deps = {
      store,
      createClient: apiClientFactory(config),
      settings: { stuckAfterHours: config.stuckAfterHours },
      logger: {
        info: (message, fields = {}) => logger.info(message, fields as Record<string, unknown>),
        error: (message, fields = {}) => logger.error(message, fields as Record<string, unknown>),
      },
    };
    return deps;
  };
}
