/**
 * A claimed run, run to its end in this process and then alerted on: the one way the run
 * function and `npm start`'s in-process launcher finish a run, so both log its end the same way.
 * A failed run is logged, not thrown: its status.json already says why it failed.
 */
import type { UploadSessionsClient } from '../../lib/api';
import type { ClaimedRun } from '../../lib/report/leased-run';
import type { ReportSummary } from '../../lib/report/summary';
import type { MessageLog } from './powertools';

/** What follows a complete run (the alert rules); never throws. */
export type AfterRun = (summary: ReportSummary) => Promise<unknown>;

export interface RunAndAlertOptions {
  /** Where the run's end is logged (the caller's logger). */
  log: MessageLog;
  afterRun?: AfterRun;
}

/** Runs `claimed` with the client `createClient` makes; true when its report was published. */
export async function runAndAlert(
  claimed: ClaimedRun,
  createClient: () => Promise<UploadSessionsClient>,
  options: RunAndAlertOptions,
): Promise<boolean> {
  const fields = { workspace: claimed.workspace, run_id: claimed.runId, mode: claimed.mode };
  try {
    const published = await claimed.run(await createClient());
    options.log.info('report published', {
      ...fields,
      sessions: published.summary.sessions.total,
      files: published.summary.files.total,
      api_requests: published.summary.api_requests,
      latest: published.latest,
    });
    await options.afterRun?.(published.summary);
    return true;
  } catch (error) {
    // The log keeps the details (never a secret: our errors).
    options.log.error('report run failed', { ...fields, error });
    return false;
  }
}
