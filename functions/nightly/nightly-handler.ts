/**
 * The nightly invocation, wired: the container's dependencies (built on the first invocation
 * and kept), the API key (per invocation, through resolveApiKey's cache), the runners, the run,
 * then logs and metrics per workspace, and success or a thrown `NightlyRunFailedError`.
 * `handler.ts` creates one of these per container; tests create their own.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { resolveApiKey, type SecretReader } from '../shared/api-key';
import { withLambdaContext } from '../shared/powertools';
import { lambdaRunAlerts, type RunAlerts } from '../shared/run-alerts';
import { apiFileCounter, chooseRunner, dispatchRunners, type Runners } from './choose-runner';
import { deadlineSignal } from './deadline';
import { inProcessRunner } from './in-process-runner';
import { loadNightlyDeps, type NightlyDeps } from './nightly-deps';
import { scheduledTimeOf, workspacesFor } from './nightly-event';
import { logWorkspaceResult } from './nightly-log';
import { publishNightlySucceeded, publishWorkspaceMetrics } from './nightly-metrics';
import { NightlyRunFailedError, type NightlyRunSummary, summarizeRun } from './nightly-outcome';
import { skipPublishedSince } from './published-tonight';
import { DEFAULT_WORKSPACE_CONCURRENCY, runNightly } from './run-nightly';
import { type ExecutionStarter, sfnStarter, stepFunctionsRunner } from './step-functions-runner';

export interface NightlyHandlerOptions {
  logger: Logger;
  metrics: Metrics;
  /** Default: process.env, read on the first invocation. */
  env?: NodeJS.ProcessEnv;
  /** Default: Secrets Manager through Powertools Parameters (cached 5 minutes). */
  readSecret?: SecretReader;
  /** Workspaces in parallel; default 2. */
  workspaceConcurrency?: number;
  /** Default: StartExecution through the AWS SDK (tests inject a fake: Step Functions is AWS-only). */
  startExecution?: ExecutionStarter;
}

/** The Lambda handler's shape: the event is checked inside, so it is `unknown` here. */
export type NightlyHandler = (event: unknown, context?: Context) => Promise<NightlyRunSummary>;

/**
 * @example
 * export const handler = createNightlyHandler({ logger, metrics });
 */
export function createNightlyHandler(options: NightlyHandlerOptions): NightlyHandler {
  const { logger } = options;
  let deps: NightlyDeps | undefined;
  let alerts: RunAlerts | undefined;
  return withLambdaContext(options, async (event, context) => {
    try {
      deps ??= loadNightlyDeps(options.env);
      alerts ??= lambdaRunAlerts(options);
      return await runInvocation(options, { ...deps, alerts }, event, context);
    } catch (error) {
      // A failed run was logged workspace by workspace; anything else failed before any report ran.
      if (error instanceof NightlyRunFailedError) logger.error(error.message, { summary: error.summary });
      else logger.error('nightly run could not start', error as Error);
      throw error;
    }
  });
}

async function runInvocation(
  options: NightlyHandlerOptions,
  deps: NightlyDeps & { alerts: RunAlerts },
  event: unknown,
  context: Context | undefined,
): Promise<NightlyRunSummary> {
  const { logger, metrics } = options;
  const workspaces = workspacesFor(event, deps.config.workspaces);
  const concurrency = options.workspaceConcurrency ?? DEFAULT_WORKSPACE_CONCURRENCY;
  const requestConcurrency = requestsPerWorkspace(deps.config.concurrency, concurrency, workspaces.length);
  const apiKey = await resolveApiKey(deps.config, options.readSecret);
  const api = { apiUrl: deps.config.apiUrl, apiKey, concurrency: requestConcurrency };
  const runWorkspace = skipPublishedSince(
    deps.store,
    scheduledTimeOf(event),
    dispatchRunners(chooseRunner(deps.policy, apiFileCounter(api)), runnersFor(deps, options, api)),
  );
  logger.info({
    message: 'nightly run started',
    workspaces,
    workspaceConcurrency: concurrency,
    requestConcurrency,
  });
  const signal = deadlineSignal(context);
  const results = await runNightly({ workspaces, concurrency, runWorkspace, signal });
  for (const result of results) {
    logWorkspaceResult(logger, result);
    publishWorkspaceMetrics(metrics, result);
    // Runs handed to the fan-out have no summary yet: its finalize step alerts on them.
    if (result.ok && result.summary) await deps.alerts(result.summary);
  }
  const summary = summarizeRun(results);
  if (summary.failed > 0) throw new NightlyRunFailedError(summary);
  publishNightlySucceeded(metrics);
  logger.info({ message: 'nightly run succeeded', succeeded: summary.succeeded });
  return summary;
}

/** In-process always; step-functions when the deployment has the workflow (STATE_MACHINE_ARN). */
function runnersFor(
  deps: NightlyDeps,
  options: NightlyHandlerOptions,
  api: { apiUrl: string; apiKey: string; concurrency: number },
): Runners {
  const runners: Runners = {
    'in-process': inProcessRunner({
      ...api,
      requestConcurrency: api.concurrency,
      store: deps.store,
      settings: { stuckAfterHours: deps.config.stuckAfterHours },
    }),
  };
  if (deps.stateMachineArn) {
    runners['step-functions'] = stepFunctionsRunner({
      store: deps.store,
      stateMachineArn: deps.stateMachineArn,
      start: options.startExecution ?? sfnStarter(),
    });
  }
  return runners;
}

/** REPORT_CONCURRENCY caps requests in flight for the whole run, so parallel workspaces share it. */
function requestsPerWorkspace(total: number, workspaceConcurrency: number, workspaces: number): number {
  return Math.max(1, Math.floor(total / Math.min(workspaceConcurrency, workspaces)));
}
