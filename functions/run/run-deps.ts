/**
 * The run function's dependencies on Lambda: the report store and the API client from the
 * environment (as the nightly function has them), its Powertools logger, and the after-run
 * alerts. Built on the first invocation and kept while the container lives.
 */
import { apiClientFactory, loadLambdaReportDeps } from '../shared/lambda-report-deps';
import type { LambdaTelemetry } from '../shared/powertools';
import { lambdaRunAlerts } from '../shared/run-alerts';
import type { RunHandlerDeps } from './run-handler';

export function runDepsFromEnv({ logger }: LambdaTelemetry): () => RunHandlerDeps {
  let deps: RunHandlerDeps | undefined;
  return () => {
    if (deps) return deps;
    const { config, store } = loadLambdaReportDeps('the run function');
    deps = {
      store,
      createClient: apiClientFactory(config),
      logger: {
        info: (message, fields = {}) => logger.info(message, fields as Record<string, unknown>),
        error: (message, fields = {}) => logger.error(message, fields as Record<string, unknown>),
      },
      alerts: lambdaRunAlerts({ logger }),
    };
    return deps;
  };
}
