/** Everything the dashboard shows, loaded from the report store: the latest run and its context. */
import type { StoredRun } from '../../../lib/report/catalog';
import { REPORT_FILES } from '../../../lib/report/columns';
import { readLatest } from '../../../lib/report/latest-pointer';
import { isRunId } from '../../../lib/report/run-id';
import type { ReportStore } from '../../../lib/store/store';
import { type OnSkippedRun, recentCompleteRuns } from './readable-runs';
import { type SessionFailures, topFailingSessions } from './session-failures';
import { TREND_RUNS, type TrendPoint, trendPoints } from './trend';

/** The dashboard of a workspace that has a complete run. */
export interface DashboardData {
  workspace: string;
  run: StoredRun;
  topSessions: SessionFailures[];
  trend: TrendPoint[];
}

/**
 * The data for the latest complete run, or undefined when the workspace has none yet. When the
 * latest run's summary.json is damaged, the newest readable complete run before it stands in.
 */
export async function loadDashboard(
  store: ReportStore,
  workspace: string,
  onSkipped: OnSkippedRun,
): Promise<DashboardData | undefined> {
  const latest = await readLatest(store, workspace);
  if (!latest || !isRunId(latest.run_id)) return undefined;
  // The latest run is the newest of the trend's runs: one read serves both.
  const runs = await recentCompleteRuns(store, workspace, latest.run_id, TREND_RUNS, onSkipped);
  const run = runs[0];
  if (!run) return undefined;
  const sessionsKey = run.keys[REPORT_FILES.sessions];
  const topSessions = sessionsKey ? await topFailingSessions(store, sessionsKey) : [];
  return { workspace, run, topSessions, trend: trendPoints(runs) };
}
