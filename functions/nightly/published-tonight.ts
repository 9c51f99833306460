/**
 * A retried night does not redo work: when Lambda retries the nightly invocation (same event,
 * same scheduled time), a workspace whose latest complete run started after that night's
 * scheduled time already has tonight's report, and is skipped. Without a scheduled time in the
 * event (a manual invoke) every workspace runs.
 */
import { readLatest } from '../../lib/report/latest-pointer';
import { runStartedAt } from '../../lib/report/run-status';
import type { ReportStore } from '../../lib/store/store';
import type { WorkspaceRunner } from './workspace-runner';

export function skipPublishedSince(
  store: ReportStore,
  scheduledTime: Date | undefined,
  runWorkspace: WorkspaceRunner,
): WorkspaceRunner {
  if (!scheduledTime) return runWorkspace;
  return async (workspace, signal) => {
    const latest = await readLatest(store, workspace);
    if (latest && new Date(runStartedAt(latest.run_id)) > scheduledTime) {
      const message = `run ${latest.run_id} started after this night's scheduled time ${scheduledTime.toISOString()}`;
      // Nothing ran: the runner kind is the one that publishes in-process by default.
      return { runner: 'in-process', skipped: { code: 'ALREADY_PUBLISHED', message } };
    }
    return runWorkspace(workspace, signal);
  };
}
