/** Everything the dashboard shows, loaded from the report store: the latest run and its context. */
import type { StoredRun } from '../../../lib/report/catalog';
import { REPORT_FILES } from '../../../lib/report/columns';
import { readLatest } from '../../../lib/report/latest-pointer';
import { isRunId } from '../../../lib/report/run-id';
import type { ReportStore } from '../../../lib/store/store';
import { type OnSkippedRun, recentCompleteRuns } from './readable-runs';
import { failingSessionsCollector, type SessionFailures } from './session-failures';
import { visitSessionRows } from './session-rows';
import { type StuckSessions, stuckSessionsCollector } from './stuck-sessions';
import { TREND_RUNS, type TrendPoint, trendPoints } from './trend';

/** The dashboard of a workspace that has a complete run. */
export interface DashboardData {
  workspace: string;
  run: StoredRun;
  topSessions: SessionFailures[];
  /** The stuck sessions of sessions.csv; undefined for a run that predates them (no summary `stuck`). */
  stuck: StuckSessions | undefined;
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
  return { workspace, run, ...(await readSessions(store, run)), trend: trendPoints(runs) };
}

/** The top failing and the stuck sessions, from one streamed pass over the run's sessions.csv. */
async function readSessions(
  store: ReportStore,
  run: StoredRun,
): Promise<Pick<DashboardData, 'topSessions' | 'stuck'>> {
  const failing = failingSessionsCollector();
  const stuck = stuckSessionsCollector();
  const key = run.keys[REPORT_FILES.sessions];
  if (key) await visitSessionRows(store, key, [failing.visit, stuck.visit]);
  return { topSessions: failing.result(), stuck: run.summary.stuck ? stuck.result() : undefined };
}
