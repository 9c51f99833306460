/**
 * The in-process runner: a full report of the workspace inside this invocation (publishReport
 * into the report store, then latest.json). Each workspace gets its own API client, so its
 * summary counts only its own requests and retries.
 */
import { UploadSessionsClient } from '../../lib/api';
import { publishReport } from '../../lib/report/publish';
import type { ReportStore } from '../../lib/store/store';
import type { WorkspaceRunner } from './workspace-runner';

export interface InProcessRunnerOptions {
  /** API base URL, including `/api/v1`. */
  apiUrl: string;
  apiKey: string;
  /** Max requests in flight for one workspace. */
  requestConcurrency: number;
  store: ReportStore;
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
    const run = await publishReport({ client, store: options.store, workspace, mode: 'full' });
    return { runner: 'in-process', summary: run.summary, prefix: run.prefix };
  };
}
