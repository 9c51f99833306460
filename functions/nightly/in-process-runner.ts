/**
 * The in-process runner: a full report of the workspace inside this invocation (publishReport
 * into the report store, then latest.json), under the workspace's lease. Each workspace gets its own API client, so its
 * summary counts only its own requests and retries.
 */
import { UploadSessionsClient } from '../../lib/api';
import { claimRun, RunInProgressError } from '../../lib/report/leased-run';
import type { ReportSettings } from '../../lib/report/publish';
import type { ReportStore } from '../../lib/store/store';
import type { WorkspaceRunner } from './workspace-runner';

export interface InProcessRunnerOptions {
  /** API base URL, including `/api/v1`. */
  apiUrl: string;
  apiKey: string;
  /** Max requests in flight for one workspace. */
  requestConcurrency: number;
  store: ReportStore;
  /** The report's settings (STUCK_AFTER_HOURS). */
  settings?: ReportSettings;
}

/** A runner that publishes a full report of the workspace to `store`. */
export function inProcessRunner(options: InProcessRunnerOptions): WorkspaceRunner {
  return async (workspace, signal) => {
    const client = new UploadSessionsClient({
      baseUrl: options.apiUrl,
      apiKey: options.apiKey,
      concurrency: options.requestConcurrency,
      ...(signal ? { signal } : {}),
    });
    // The workspace's lease, as every run takes it: a run going on (say, started over HTTP) is
    // left alone, and tonight's report is that run's.
    const claimed = await claimRun({
      store: options.store,
      workspace,
      mode: 'full',
      settings: options.settings,
    }).catch((error: unknown) => {
      if (error instanceof RunInProgressError) return error;
      throw error;
    });
    if (claimed instanceof RunInProgressError) {
      return { runner: 'in-process', skipped: { code: 'RUN_IN_PROGRESS', message: claimed.message } };
    }
    const run = await claimed.run(client);
    return { runner: 'in-process', summary: run.summary, prefix: run.prefix };
  };
}
