/**
 * The run function's dependencies on Lambda: the report store and the API client from the
 * environment (as the nightly function has them), the fan-out workflow and its threshold
 * (STATE_MACHINE_ARN, FANOUT_THRESHOLD_FILES, as the nightly function has them), and its
 * Powertools logger. Built on the first invocation and kept while the container lives.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { WorkflowEnv } from '../nightly/choose-runner';
import { sfnStarter } from '../nightly/step-functions-runner';
import { parseEnv } from '../shared/config';
import { apiClientFactory, loadLambdaReportDeps } from '../shared/lambda-report-deps';
import type { RunHandlerDeps } from './run-handler';

export function runDepsFromEnv(logger: Logger, env: NodeJS.ProcessEnv = process.env): () => RunHandlerDeps {
  let deps: RunHandlerDeps | undefined;
  return () => {
    if (deps) return deps;
    const { config, store } = loadLambdaReportDeps('the run function', env);
    const workflow = parseEnv(WorkflowEnv, env);
    const stateMachineArn = workflow.STATE_MACHINE_ARN;
    deps = {
      store,
      createClient: apiClientFactory(config),
      // Both set (the deployed stack sets them): big workspaces go to the workflow.
      ...(stateMachineArn && workflow.FANOUT_THRESHOLD_FILES !== undefined
        ? {
            workflow: {
              policy: { fanoutThresholdFiles: workflow.FANOUT_THRESHOLD_FILES },
              target: { stateMachineArn, start: sfnStarter() },
            },
          }
        : {}),
      logger: {
        info: (message, fields = {}) => logger.info(message, fields as Record<string, unknown>),
        error: (message, fields = {}) => logger.error(message, fields as Record<string, unknown>),
      },
    };
    return deps;
  };
}
