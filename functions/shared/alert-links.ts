/**
 * The links in an alert message: the workspace's dashboard and the run's changes.csv, under the
 * app's public address (PUBLIC_BASE_URL). A function that runs reports is not the HTTP function
 * and cannot know where that is otherwise, so without it both links are null.
 */
import type { AlertLinks } from '../../lib/alerts/message';
import { CHANGES_FILE } from '../../lib/report/changes/columns';
import type { ReportSummary } from '../../lib/report/summary';
import { paths } from '../http/links';

/** `origin` like `https://reports.example.com`, or undefined. */
export function alertLinks(origin: string | undefined, summary: ReportSummary): AlertLinks {
  if (origin === undefined) return { dashboard: null, changes: null };
  const ref = { workspace: summary.workspace, runId: summary.run_id };
  // changes.csv exists only when the run was compared with a baseline.
  const compared = summary.changes !== undefined && 'previous_run_id' in summary.changes;
  return {
    dashboard: origin + paths.dashboard(summary.workspace),
    changes: compared ? origin + paths.file(ref, CHANGES_FILE) : null,
  };
}
