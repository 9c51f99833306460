/** The last complete runs of a workspace, oldest first, for the trend chart. */
import type { StoredRun } from '../../../lib/report/catalog';
import type { ReportSummary } from '../../../lib/report/summary';

/** One run in the trend. */
export interface TrendPoint {
  runId: string;
  /** When the run started, from its id (ids sort by start time): the x axis. */
  startedAt: string;
  files: number;
  failed: number;
  /** failed / files, 0 for a run with no files. */
  failureRate: number;
}

export const TREND_RUNS = 14;

/** The trend of `runs` (newest first, as `recentCompleteRuns` gives them), oldest first. */
export function trendPoints(runs: readonly StoredRun[]): TrendPoint[] {
  return runs.map((run) => trendPoint(run.summary)).reverse();
}

function trendPoint(summary: ReportSummary): TrendPoint {
  const files = summary.files.total;
  const failed = summary.files.by_ingestion_status.FAILED ?? 0;
  return {
    runId: summary.run_id,
    startedAt: runStartedAt(summary.run_id),
    files,
    failed,
    failureRate: files === 0 ? 0 : failed / files,
  };
}

/** `20261123T070630123Z-4f9c2a` -> `2026-11-23T07:06:30.123Z` (the id is validated before it gets here). */
export function runStartedAt(runId: string): string {
  const [, y, mo, d, h, mi, s, ms] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(runId) ?? [];
  return y ? `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z` : '';
}
