/**
 * The run function: one report run that the HTTP function started and handed over (an
 * asynchronous invoke), so that it is not bound by the HTTP request's life. It adopts the lease
 * the HTTP function took under the same run ID and writes the run's status as it goes. A
 * workspace above the fan-out threshold (decided as the nightly job decides it, by counting its
 * files) goes on to the Step Functions workflow under the same run ID instead. The count is
 * taken here, not in the HTTP request: one request per session would keep the caller waiting.
 * A failed report is recorded in the run folder, not thrown: a Lambda retry would only repeat it.
 */
import type { UploadSessionsClient } from '../../lib/api';
import { describeFailure } from '../../lib/report/failure';
import { type ClaimedRun, claimRun, RunInProgressError } from '../../lib/report/leased-run';
import type { ReportSettings } from '../../lib/report/publish';
import type { ReportStore } from '../../lib/store/store';
import { chooseRunner, clientFileCounter, type RunnerPolicy } from '../nightly/choose-runner';
import { startWorkflowRun, type WorkflowTarget } from '../nightly/step-functions-runner';
import type { RunAlerts } from '../shared/run-alerts';
import { runAndAlert } from '../shared/run-and-alert';
import { RunEvent } from './run-event';

export interface RunHandlerDeps {
  store: ReportStore;
  createClient(): Promise<UploadSessionsClient>;
  logger: { info(message: string, fields?: object): void; error(message: string, fields?: object): void };
  leaseTtlMs?: number;
  /** Evaluated after a complete run; never throws. */
  alerts?: RunAlerts;
  /** The fan-out workflow, for workspaces above the policy's threshold; absent: all run here. */
  workflow?: { policy: RunnerPolicy; target: WorkflowTarget };
  /** The report's settings (STUCK_AFTER_HOURS). */
  settings?: ReportSettings;
}

/** `workflow`: handed to the fan-out workflow, which reports on it. */
export type RunOutcome = { run_id: string; status: 'complete' | 'failed' | 'skipped' | 'workflow' };

export function createRunHandler(deps: () => RunHandlerDeps) {
  return async (input: unknown): Promise<RunOutcome> => {
    const parsed = RunEvent.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`invalid run event: ${issue.path.join('.') || 'event'}: ${issue.message}`);
    }
    const event = parsed.data;
    const handlerDeps = deps();
    const { store, createClient, logger, leaseTtlMs, alerts, settings } = handlerDeps;
    const fields = { workspace: event.workspace, run_id: event.run_id, mode: event.mode };
    let claimed: Awaited<ReturnType<typeof claimRun>>;
    try {
      claimed = await claimRun({
        store,
        workspace: event.workspace,
        mode: event.mode,
        runId: event.run_id,
        leaseTtlMs,
        settings,
      });
    } catch (error) {
      if (!(error instanceof RunInProgressError)) throw error;
      // Its lease expired before this started and another run took the workspace.
      logger.info('run skipped: another run of the workspace is in progress', {
        ...fields,
        other_run: error.runId,
      });
      return { run_id: event.run_id, status: 'skipped' };
    }
    if (handlerDeps.workflow) {
      const handedOver = await toWorkflowIfBig(claimed, handlerDeps, handlerDeps.workflow);
      if (handedOver) return { run_id: event.run_id, status: handedOver };
    }
    const published = await runAndAlert(claimed, createClient, { log: logger, afterRun: alerts });
    return { run_id: event.run_id, status: published ? 'complete' : 'failed' };
  };
}

/**
 * Hands the run to the workflow when the workspace is above the threshold: 'workflow', or
 * 'failed' when counting or starting failed (the run then reads failed and the lease is free);
 * undefined when the run goes on here.
 */
async function toWorkflowIfBig(
  claimed: ClaimedRun,
  deps: RunHandlerDeps,
  workflow: NonNullable<RunHandlerDeps['workflow']>,
): Promise<'workflow' | 'failed' | undefined> {
  const fields = { workspace: claimed.workspace, run_id: claimed.runId, mode: claimed.mode };
  const choose = chooseRunner(workflow.policy, clientFileCounter(deps.createClient));
  try {
    if ((await claimed.whileHeld(() => choose(claimed.workspace))) !== 'step-functions') return undefined;
  } catch (error) {
    await claimed.abandon(describeFailure(error));
    deps.logger.error('report run failed: its files could not be counted', { ...fields, error });
    return 'failed';
  }
  try {
    const executionArn = await startWorkflowRun(claimed, workflow.target);
    deps.logger.info('run handed to the fan-out workflow', { ...fields, execution_arn: executionArn });
    return 'workflow';
  } catch (error) {
    deps.logger.error('report run failed: the fan-out workflow could not be started', { ...fields, error });
    return 'failed';
  }
}
