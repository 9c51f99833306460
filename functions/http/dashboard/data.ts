/** Everything the dashboard shows, loaded from the report store: the latest run and its context. */
import { readRun, type StoredRun } from '../../../lib/report/catalog';
import { REPORT_FILES } from '../../../lib/report/columns';
import type { ReportStore } from '../../../lib/store/store';
import { type SessionFailures, topFailingSessions } from './session-failures';
import { loadTrend, type TrendPoint } from './trend';

/** The dashboard of a workspace that has a complete run. */
export interface DashboardData {
  workspace: string;
  run: StoredRun;
  topSessions: SessionFailures[];
  trend: TrendPoint[];
}

/** The data for the latest complete run, or undefined when the workspace has none yet. */
export async function loadDashboard(
  store: ReportStore,
  workspace: string,
): Promise<DashboardData | undefined> {
  const run = await readRun(store, workspace, 'latest');
  if (!run) return undefined;
  const sessionsKey = run.keys[REPORT_FILES.sessions];
  const [topSessions, trend] = await Promise.all([
    sessionsKey ? topFailingSessions(store, sessionsKey) : Promise.resolve([]),
    loadTrend(store, workspace, run.runId),
  ]);
  return { workspace, run, topSessions, trend };
}
