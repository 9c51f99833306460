/**
 * The `step-functions` runner: hands a workspace to the fan-out state machine
 * (STATE_MACHINE_ARN) and returns at once. The execution reports on its own: its summary.json
 * and latest.json appear when it finishes, and its failures raise the WorkflowFailed alarm, not
 * this invocation's. Step Functions exists only on AWS: tests inject a fake `ExecutionStarter`.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { runPrefix } from '../../lib/report/layout';
import { newRunId } from '../../lib/report/run-id';
import type { ReportMode } from '../../lib/report/summary';
import type { WorkspaceRunner } from './workspace-runner';

/** The state machine's input (infra/report-workflow.ts: Plan's event). */
export interface WorkflowInput {
  workspace: string;
  runId: string;
  mode: ReportMode;
}

/** Starts an execution; resolves with its ARN. */
export type ExecutionStarter = (request: {
  stateMachineArn: string;
  /** Unique per state machine for 90 days; shown in the console. */
  name: string;
  input: WorkflowInput;
}) => Promise<{ executionArn: string }>;

/** StartExecution through the AWS SDK (credentials and region from the Lambda environment). */
export function sfnStarter(client: SFNClient = new SFNClient({})): ExecutionStarter {
  return async ({ stateMachineArn, name, input }) => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    if (!started.executionArn) throw new Error(`StartExecution of ${name} returned no execution ARN`);
    return { executionArn: started.executionArn };
  };
}

export interface StepFunctionsRunnerOptions {
  stateMachineArn: string;
  start: ExecutionStarter;
  /** Default 'full', as the nightly in-process runner. */
  mode?: ReportMode;
  /** Default: a new run ID per workspace. */
  newRunId?: () => string;
}

/** Execution names allow 80 characters of [A-Za-z0-9_-]: the run ID, then as much workspace as fits. */
export function executionName(workspace: string, runId: string): string {
  return `${runId}-${workspace}`.slice(0, 80);
}

/**
 * A runner that starts the fan-out for the workspace. The run ID is chosen here, so the run
 * folder is known (and logged) before the execution has done anything.
 *
 * @example
 * const runner = stepFunctionsRunner({ stateMachineArn, start: sfnStarter() });
 */
export function stepFunctionsRunner(options: StepFunctionsRunnerOptions): WorkspaceRunner {
  return async (workspace) => {
    const runId = (options.newRunId ?? newRunId)();
    const input: WorkflowInput = { workspace, runId, mode: options.mode ?? 'full' };
    await options.start({
      stateMachineArn: options.stateMachineArn,
      name: executionName(workspace, runId),
      input,
    });
    return { runner: 'step-functions', prefix: runPrefix(workspace, runId) };
  };
}
