/**
 * `counts-<batch>.json`: what one batch adds to the workspace's totals, and what it cost. The
 * finalizer adds the batches up in batch order, which is session order, so warnings come out in
 * the same order as a single-process run's.
 */
import { z } from 'zod';
import type { ClientStats } from '../api';
import type { StuckSummary } from '../report/stuck';
import { WorkspaceTotals } from '../report/summary';

const counts = z.record(z.string(), z.number().int().nonnegative());

export const BatchCounts = z.object({
  batch: z.number().int().nonnegative(),
  sessions_by_status: counts,
  files_by_status: counts,
  failed_by_reason: counts,
  warnings: z.array(z.object({ session_id: z.string(), code: z.literal('SESSION_NOT_FOUND') })),
  /** Stuck sessions and their pending files (absent in counts written before them: none). */
  stuck_sessions: z.number().int().nonnegative().default(0),
  stuck_pending_files: z.number().int().nonnegative().default(0),
  api_requests: z.number().int().nonnegative(),
  api_retries: z.number().int().nonnegative(),
  duration_ms: z.number().nonnegative(),
});
export type BatchCounts = z.infer<typeof BatchCounts>;

/** A batch's counts from its totals and its client's stats. */
export function batchCountsOf(
  batch: number,
  totals: WorkspaceTotals,
  stuck: StuckSummary,
  stats: Pick<ClientStats, 'requests' | 'retries'>,
  durationMs: number,
): BatchCounts {
  // No documented names: every name counted, and only those (documented zeros are the summary's job).
  return {
    batch,
    sessions_by_status: totals.sessionsByStatus.toObject([]),
    files_by_status: totals.files.byStatus.toObject([]),
    failed_by_reason: totals.files.failedByReason.toObject([]),
    warnings: [...totals.warnings],
    stuck_sessions: stuck.sessions,
    stuck_pending_files: stuck.pending_files,
    api_requests: stats.requests,
    api_retries: stats.retries,
    duration_ms: Math.round(durationMs),
  };
}

/** Adds the batches' counts, in the order given, into fresh workspace totals. */
export function addUpBatches(batches: readonly BatchCounts[]): WorkspaceTotals {
  const totals = new WorkspaceTotals();
  for (const batch of batches) {
    for (const [name, n] of Object.entries(batch.sessions_by_status)) totals.sessionsByStatus.add(name, n);
    for (const [name, n] of Object.entries(batch.files_by_status)) totals.files.byStatus.add(name, n);
    for (const [name, n] of Object.entries(batch.failed_by_reason)) totals.files.failedByReason.add(name, n);
    totals.warnings.push(...batch.warnings);
  }
  return totals;
}

/** summary.json `stuck`: the batches' stuck sessions added up, at the plan's threshold. */
export function addUpStuck(batches: readonly BatchCounts[], afterHours: number): StuckSummary {
  let sessions = 0;
  let pendingFiles = 0;
  for (const batch of batches) {
    sessions += batch.stuck_sessions;
    pendingFiles += batch.stuck_pending_files;
  }
  return { after_hours: afterHours, sessions, pending_files: pendingFiles };
}
