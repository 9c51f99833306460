/**
 * The `step-functions` runner: claims the workspace's run (its lease and status.json, as every
 * run does), hands it to the fan-out state machine (STATE_MACHINE_ARN), whose Plan adopts the
 * claim under the same run ID, and returns at once. A workspace whose lease another run holds
 * is skipped. The execution reports on its own: its summary.json, status.json and latest.json
 * appear when it finishes, and its failures raise the WorkflowFailed alarm, not this
 * invocation's. Step Functions exists only on AWS: tests inject a fake `ExecutionStarter` or
 * point the SDK at a local stand-in of its API.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { FANOUT_LEASE_TTL_MS } from '../../lib/fanout/fanout-lease';
import { ReportFailedError } from '../../lib/report/failure';
import { runPrefix } from '../../lib/report/layout';
import { type ClaimedRun, claimRun, RunInProgressError } from '../../lib/report/leased-run';
import { newRunId } from '../../lib/report/run-id';
import type { ReportMode } from '../../lib/report/summary';
import type { ReportStore } from '../../lib/store/store';
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

/** Where runs are handed over to: the state machine and how to start it. */
export interface WorkflowTarget {
  stateMachineArn: string;
  start: ExecutionStarter;
}

/**
 * Hands a claimed run to the workflow: the lease is extended to the fan-out's TTL (until Plan
 * adopts it), then the execution starts. When it cannot start, the run reads failed
 * (LAUNCH_FAILED, or LEASE_LOST when the lease was gone) and the lease is let go; the error is
 * rethrown.
 */
export async function startWorkflowRun(claimed: ClaimedRun, target: WorkflowTarget): Promise<string> {
  const input: WorkflowInput = { workspace: claimed.workspace, runId: claimed.runId, mode: claimed.mode };
  let executionArn = '';
  try {
    await claimed.handOver(FANOUT_LEASE_TTL_MS, async () => {
      const name = executionName(claimed.workspace, claimed.runId);
      ({ executionArn } = await target.start({ stateMachineArn: target.stateMachineArn, name, input }));
    });
  } catch (error) {
    // A run that lost its lease before the start says so; anything else is the start's failure.
    const launchFailed = {
      code: 'LAUNCH_FAILED' as const,
      message: 'the fan-out workflow could not be started',
    };
    await claimed.abandon(error instanceof ReportFailedError ? error.failure : launchFailed);
    throw error;
  }
  return executionArn;
}

export interface StepFunctionsRunnerOptions extends WorkflowTarget {
  /** The report store, where the workspace's lease is. */
  store: ReportStore;
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
 * A runner that claims the workspace's run and starts the fan-out for it. The run ID is chosen
 * here, so the run folder is known (and logged) before the execution has done anything.
 *
 * @example
 * const runner = stepFunctionsRunner({ store, stateMachineArn, start: sfnStarter() });
 */
export function stepFunctionsRunner(options: StepFunctionsRunnerOptions): WorkspaceRunner {
  return async (workspace) => {
    const runId = (options.newRunId ?? newRunId)();
    const mode = options.mode ?? 'full';
    const { store } = options;
    const claimed = await claimRun({ store, workspace, mode, runId, leaseTtlMs: FANOUT_LEASE_TTL_MS }).catch(
      (error: unknown) => {
        if (error instanceof RunInProgressError) return error;
        throw error;
      },
    );
    // A run going on (say, started over HTTP) is left alone, and tonight's report is that run's.
    if (claimed instanceof RunInProgressError) {
      return { runner: 'step-functions', skipped: { code: 'RUN_IN_PROGRESS', message: claimed.message } };
    }
    await startWorkflowRun(claimed, options);
    return { runner: 'step-functions', prefix: runPrefix(workspace, runId) };
  };
}
