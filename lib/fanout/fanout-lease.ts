/**
 * The workspace's run lease across a fan-out run, whose steps are separate Lambda invocations
 * over hours: Plan claims it (adopting it when the run was claimed before the execution
 * started), every Worker adopts it and keeps it alive while it runs, and the last step writes
 * the run's outcome to status.json and lets it go.
 *
 * Kept alive by the steps rather than taken once for the workflow's whole timeout: a workflow
 * that dies without reaching its last step (stopped, timed out, a step killed) frees the
 * workspace within one TTL, and its status reads ABANDONED then, not twelve hours later. The
 * TTL covers the longest gap with no step running: a step waiting out Lambda throttling (the
 * workflow's retries wait 12.6 minutes at most) or the map starting its first children.
 */

import type { Failure } from '../report/failure';
import { runPrefix } from '../report/layout';
import { leaseLostError, whileLeaseHeld } from '../report/leased-run';
import { newProgress } from '../report/progress';
import { runLeaseKey } from '../report/run-lease-key';
import { readStatusFile } from '../report/run-status';
import { StatusWriter } from '../report/status-writer';
import type { ReportMode, ReportSummary } from '../report/summary';
import type { HeldLease } from '../store/lease';
import { adoptLease } from '../store/lease';
import type { ReportStore } from '../store/store';
import { type FanoutProgress, readFanoutProgress } from './step-progress';

/** How long the lease lasts without a step refreshing it. */
export const FANOUT_LEASE_TTL_MS = 30 * 60_000;

/** Which run of which workspace, in which store. */
export interface FanoutRunRef {
  store: ReportStore;
  workspace: string;
  runId: string;
  mode: ReportMode;
}

/** The run's lease, adopted by this step; undefined when the run no longer holds it. */
export function adoptFanoutLease(
  run: FanoutRunRef,
  ttlMs = FANOUT_LEASE_TTL_MS,
): Promise<HeldLease | undefined> {
  return adoptLease(run.store, runLeaseKey(run.workspace), run.runId, { ttlMs });
}

/**
 * Runs a step's `work` holding the run's lease, kept alive meanwhile; `work`'s signal aborts
 * once it is lost. Throws LEASE_LOST (after `refused`, which records why) when the run does
 * not hold the lease to begin with: another run has the workspace.
 */
export async function withFanoutLease<T>(
  run: FanoutRunRef,
  work: (signal: AbortSignal) => Promise<T>,
  options: { ttlMs?: number; refused?: (failure: Failure) => Promise<void> } = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? FANOUT_LEASE_TTL_MS;
  const lease = await adoptFanoutLease(run, ttlMs);
  if (!lease) {
    const lost = leaseLostError(run.workspace, 'taken');
    await options.refused?.(lost.failure);
    throw lost;
  }
  return whileLeaseHeld(lease, run.workspace, ttlMs, work);
}

/** The run ended before (a retried last step): its status.json says complete. */
export async function endedComplete(run: FanoutRunRef): Promise<boolean> {
  const status = await readStatusFile(run.store, runPrefix(run.workspace, run.runId));
  return status?.status === 'complete';
}

/**
 * The run's end: status.json says complete (with the summary) or failed (with the error), then
 * the lease is let go, if the run still holds it (another run's is left alone). Its progress is
 * where the run got: the summary's numbers, else its steps' progress added up, so it never
 * reads less than while the run went on.
 */
export async function endFanoutRun(
  run: FanoutRunRef,
  outcome: { summary: ReportSummary } | { failure: Failure },
  lease?: HeldLease,
): Promise<void> {
  const summary = 'summary' in outcome ? outcome.summary : undefined;
  const prefix = runPrefix(run.workspace, run.runId);
  const status = new StatusWriter({
    store: run.store,
    prefix,
    workspace: run.workspace,
    runId: run.runId,
    mode: run.mode,
    progress: newProgress(),
    requests: () => 0,
  });
  const counts = summary
    ? summaryProgress(summary)
    : await readFanoutProgress(run.store, prefix).catch(() => undefined);
  if (counts) status.settle(counts);
  if (summary) await status.complete(summary);
  else if ('failure' in outcome) await status.fail(outcome.failure);
  const held = lease ?? (await adoptFanoutLease(run).catch(() => undefined));
  await held?.release().catch(() => {});
}

/** A finished run's progress: all of it, as its summary counts it. */
export function summaryProgress(summary: ReportSummary): FanoutProgress {
  return {
    sessions_total: summary.sessions.total,
    sessions_done: summary.sessions.total,
    files_seen: summary.files.total,
    requests: summary.api_requests,
  };
}
