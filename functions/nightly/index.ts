/**
 * The nightly job: `handler.ts` is the Lambda entry (not re-exported here: importing it builds
 * the container's Logger and Metrics). What other code builds on is exported below. Each
 * workspace runs in-process, or above FANOUT_THRESHOLD_FILES files in the Step Functions
 * fan-out (`chooseRunner`, `dispatchRunners`, `stepFunctionsRunner`).
 */
export {
  apiFileCounter,
  chooseRunner,
  dispatchRunners,
  type FileCounter,
  type RunnerChooser,
  type RunnerPolicy,
  type Runners,
  RunnerUnavailableError,
} from './choose-runner';
export { deadlineSignal, stopMarginMs } from './deadline';
export { type InProcessRunnerOptions, inProcessRunner } from './in-process-runner';
export { InvalidNightlyEventError, workspacesFor } from './nightly-event';
export { createNightlyHandler, type NightlyHandler, type NightlyHandlerOptions } from './nightly-handler';
export { METRICS_NAMESPACE, NIGHTLY_SERVICE, NIGHTLY_SUCCEEDED_METRIC } from './nightly-metrics';
export { NightlyRunFailedError, type NightlyRunSummary, type WorkspaceLine } from './nightly-outcome';
export {
  DEADLINE_FAILURE,
  DEFAULT_WORKSPACE_CONCURRENCY,
  type RunNightlyOptions,
  runNightly,
  type WorkspaceResult,
} from './run-nightly';
export {
  type ExecutionStarter,
  executionName,
  type StepFunctionsRunnerOptions,
  sfnStarter,
  stepFunctionsRunner,
  type WorkflowInput,
} from './step-functions-runner';
export type { RunnerKind, WorkspaceReport, WorkspaceRunner } from './workspace-runner';
