/**
 * The run function's dependencies on Lambda: the report store and the API client from the
 * environment (as the nightly function has them), the fan-out workflow and its threshold
 * (STATE_MACHINE_ARN, FANOUT_THRESHOLD_FILES, as the nightly function has them), its
 * Powertools logger, and the after-run alerts. Built on the first invocation and kept while
 * the container lives.
 */
import { WorkflowEnv } from '../nightly/choose-runner';
import { sfnStarter } from '../nightly/step-functions-runner';
import { parseEnv } from '../shared/config';
import { apiClientFactory, loadLambdaReportDeps } from '../shared/lambda-report-deps';
import { type LambdaTelemetry, messageLogOf } from '../shared/powertools';
import { lambdaRunAlerts } from '../shared/run-alerts';
import type { RunHandlerDeps } from './run-handler';

export function runDepsFromEnv(
  { logger }: Pick<LambdaTelemetry, 'logger'>,
  env: NodeJS.ProcessEnv = process.env,
): () => RunHandlerDeps {
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
      settings: { stuckAfterHours: config.stuckAfterHours },
      logger: messageLogOf(logger),
      alerts: lambdaRunAlerts({ logger, env }),
    };
    return deps;
  };
}
