/** The last complete runs of a workspace, oldest first, for the trend chart. */
import { listRunIds, readRun } from '../../../lib/report/catalog';
import type { ReportSummary } from '../../../lib/report/summary';
import type { ReportStore } from '../../../lib/store/store';

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

/** Up to `count` complete runs at or before `untilRunId`, oldest first; reads at most 2×count summaries. */
export async function loadTrend(
  store: ReportStore,
  workspace: string,
  untilRunId: string,
  count = TREND_RUNS,
): Promise<TrendPoint[]> {
  const ids = (await listRunIds(store, workspace)).filter((id) => id <= untilRunId).slice(0, count * 2);
  const runs = await Promise.all(ids.map((id) => readRun(store, workspace, id).catch(() => undefined)));
  return runs
    .filter((run) => run?.summary.complete === true)
    .slice(0, count)
    .map((run) => trendPoint(run!.summary))
    .reverse();
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
