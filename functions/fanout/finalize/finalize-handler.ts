/**
 * The workflow's last steps, Finish and RecordFailure (one function, two states):
 * - Finish (the plan's state): assembles the CSVs, writes summary.json and latest.json; a
 *   missing batch fails it, after writing the incomplete summary.
 * - RecordFailure (a Catch sends the failed step's state plus `failure`): writes the incomplete
 *   summary.json saying which step or batch failed and why, and returns the failure; the
 *   following Fail state fails the execution with it, so the WorkflowFailed alarm fires.
 * Both end the run: status.json says complete or failed, and the workspace's lease is let go.
 * Finish publishes only while the run holds the lease: a run that lost it (another run has the
 * workspace) fails with LEASE_LOST, and latest.json stays where it was.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  adoptFanoutLease,
  endedComplete,
  endFanoutRun,
  FANOUT_LEASE_TTL_MS,
  type FanoutRunRef,
} from '../../../lib/fanout/fanout-lease';
import {
  type FinalizedRun,
  finalizeFanout,
  recordPlanFailure,
  removeFanoutScratch,
} from '../../../lib/fanout/finalize';
import { describeFailure, type Failure } from '../../../lib/report/failure';
import { runPrefix } from '../../../lib/report/layout';
import { leaseLostError, whileLeaseHeld } from '../../../lib/report/leased-run';
import { lambdaRunAlerts, type RunAlerts } from '../../shared/run-alerts';
import { type FanoutDeps, type FanoutHandlerOptions, fanoutStep, type LambdaStep } from '../fanout-deps';
import { FinalizeEvent, PlanState, parseEvent } from '../fanout-events';

/** The execution's output: small, whatever the size of the workspace. */
export interface FinalizeOutcome {
  workspace: string;
  runId?: string;
  complete: boolean;
  prefix?: string;
  sessions?: number;
  files?: number;
  latest?: string;
  error?: Failure;
}

/** Builds the Finish/RecordFailure handler; the container's deps are made on its first invocation. */
export function createFinalizeHandler(options: FanoutHandlerOptions = {}): LambdaStep<FinalizeOutcome> {
  let alerts: RunAlerts | undefined;
  return fanoutStep(options, async (deps, event) => {
    alerts ??= lambdaRunAlerts(options);
    const input = parseEvent(FinalizeEvent, event, 'Finish');
    if (input.failure) return recordFailure(deps, event, options.logger);
    const plan = parseEvent(PlanState, event, 'Finish');
    const prefix = runPrefix(plan.workspace, plan.runId);
    const run = await finishUnderLease(deps, plan);
    const outcome = {
      workspace: plan.workspace,
      runId: plan.runId,
      complete: true,
      prefix,
      sessions: run.summary.sessions.total,
      files: run.summary.files.total,
      latest: run.latest,
    };
    options.logger?.info({ message: 'fan-out report published', ...outcome, composed: run.composed });
    await alerts(run.summary);
    return outcome;
  });
}

/**
 * Finish, holding the run's lease (kept alive while the CSVs are assembled), then the run's end.
 * A retried Finish of a run that ended complete finds the lease let go and finishes again (the
 * run is not rebuilt); any other run without the lease fails, unpublished, with LEASE_LOST.
 */
async function finishUnderLease(deps: FanoutDeps, plan: PlanState): Promise<FinalizedRun> {
  const ref: FanoutRunRef = { store: deps.store, ...plan };
  const lease = await adoptFanoutLease(ref);
  const lost = lease || (await endedComplete(ref)) ? undefined : leaseLostError(plan.workspace, 'taken');
  const finalize = (signal?: AbortSignal) =>
    finalizeFanout({
      store: deps.store,
      prefix: runPrefix(plan.workspace, plan.runId),
      plan,
      publishLatest: true,
      failure: lost?.failure,
      // Removed once status.json says complete: until then readers add up its progress objects.
      removeScratch: false,
      signal,
    });
  try {
    const run = await (lease
      ? whileLeaseHeld(lease, plan.workspace, FANOUT_LEASE_TTL_MS, finalize)
      : finalize());
    await endFanoutRun(ref, { summary: run.summary }, lease);
    await removeFanoutScratch(deps.store, runPrefix(plan.workspace, plan.runId));
    return run;
  } catch (error) {
    await endFanoutRun(ref, { failure: describeFailure(error) }, lease);
    throw error;
  }
}

/** RecordFailure: the incomplete summary.json, and the failure for the Fail state. */
async function recordFailure(deps: FanoutDeps, event: unknown, logger?: Logger): Promise<FinalizeOutcome> {
  const input = parseEvent(FinalizeEvent, event, 'RecordFailure');
  const caught: Failure = {
    code: 'WORKFLOW_FAILED',
    message: `the fan-out failed with ${input.failure?.Error ?? 'an unknown error'} (see the execution history)`,
  };
  const { workspace, runId, mode } = input;
  // Without a run ID (the plan was to make one, and failed) there is no run folder to write to.
  if (!runId) return { workspace, complete: false, error: caught };
  const prefix = runPrefix(workspace, runId);
  let error: Failure = caught;
  try {
    const planned = PlanState.safeParse(event);
    if (planned.success) {
      await finalizeFanout({
        store: deps.store,
        prefix,
        plan: planned.data,
        publishLatest: true,
        failure: caught,
      });
    } else {
      await recordPlanFailure({ store: deps.store, prefix, workspace, runId, mode, failure: caught });
    }
  } catch (failed) {
    error = describeFailure(failed);
  }
  await endFanoutRun({ store: deps.store, workspace, runId, mode }, { failure: error });
  logger?.error({ message: 'fan-out report failed', workspace, runId, prefix, error });
  return { workspace, runId, complete: false, prefix, error };
}
