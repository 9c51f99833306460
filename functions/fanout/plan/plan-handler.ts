/**
 * The workflow's Plan step: claims the run (the workspace's lease, adopted when whoever started
 * the execution claimed it already, and status.json "running"), lists the workspace's sessions,
 * counts their files, writes the manifest of batches, and returns the state the later steps
 * need (see ../fanout-events.ts). A failure leaves `error-plan.json` for RecordFailure and fails
 * the step; RecordFailure then writes the failed status and lets the lease go.
 */

import { writeFailureRecord } from '../../../lib/fanout/failure-record';
import { FANOUT_LEASE_TTL_MS } from '../../../lib/fanout/fanout-lease';
import { errorKey, manifestKey } from '../../../lib/fanout/layout';
import { type FanoutPlan, planFanout } from '../../../lib/fanout/plan';
import { ReportFailedError } from '../../../lib/report/failure';
import { runPrefix } from '../../../lib/report/layout';
import {
  type ClaimedRun,
  claimRun,
  leaseLostError,
  RunInProgressError,
} from '../../../lib/report/leased-run';
import { newRunId } from '../../../lib/report/run-id';
import type { ReportStore } from '../../../lib/store/store';
import { clientFor, type FanoutHandlerOptions, fanoutStep, type LambdaStep } from '../fanout-deps';
import { PlanEvent, type PlanState, parseEvent } from '../fanout-events';

/** Builds the Plan handler; the container's deps are made on its first invocation. */
export function createPlanHandler(options: FanoutHandlerOptions = {}): LambdaStep<PlanState> {
  return fanoutStep(options, async (deps, event) => {
    const input = parseEvent(PlanEvent, event, 'Plan');
    const runId = input.runId ?? newRunId();
    const prefix = runPrefix(input.workspace, runId);
    const { store, limits, config } = deps;
    const claimed = await claimFanoutRun(store, { ...input, runId }, prefix);
    const client = await clientFor(deps, options.readSecret);
    const plan = await claimed.whileHeld(async (signal) => {
      const planned = await planFanout({
        client,
        store,
        prefix,
        workspace: input.workspace,
        runId,
        mode: input.mode,
        limits,
        stuckAfterHours: config.stuckAfterHours,
        progress: claimed.progress,
      });
      return stopIfLost(store, prefix, planned, signal);
    });
    // The status shows how many sessions the workers have before them.
    await claimed.status.markRunning();
    options.logger?.info({ message: 'fan-out planned', ...plan, prefix });
    return {
      ...plan,
      bucket: deps.config.reportBucket,
      manifestKey: deps.config.reportPrefix + manifestKey(prefix),
    };
  });
}

/** The run, claimed under its ID; another run holding the workspace fails the step (LEASE_LOST). */
async function claimFanoutRun(
  store: ReportStore,
  run: { workspace: string; runId: string; mode: FanoutPlan['mode'] },
  prefix: string,
): Promise<ClaimedRun> {
  try {
    return await claimRun({ store, ...run, leaseTtlMs: FANOUT_LEASE_TTL_MS });
  } catch (error) {
    if (!(error instanceof RunInProgressError)) throw error;
    const failure = { code: 'LEASE_LOST' as const, message: error.message };
    await writeFailureRecord(store, errorKey(prefix, 'plan'), {
      ...failure,
      api_requests: 0,
      api_retries: 0,
      started_at: Date.now(),
    });
    throw new ReportFailedError(failure, { cause: error });
  }
}

/** The plan, unless the run lost its lease while planning: then the step fails with LEASE_LOST. */
async function stopIfLost(
  store: ReportStore,
  prefix: string,
  plan: FanoutPlan,
  signal: AbortSignal,
): Promise<FanoutPlan> {
  if (!signal.aborted) return plan;
  const lost =
    signal.reason instanceof ReportFailedError ? signal.reason : leaseLostError(plan.workspace, 'taken');
  await writeFailureRecord(store, errorKey(prefix, 'plan'), {
    ...lost.failure,
    api_requests: plan.apiRequests,
    api_retries: plan.apiRetries,
    started_at: plan.startedAt,
  });
  throw lost;
}
