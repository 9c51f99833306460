/**
 * `--fanout`: the report as the Step Functions workflow makes it (plan, a worker per batch,
 * finalize), run in this process against the same store. Each step has its own client, as each
 * Lambda invocation does; together they keep to --concurrency, and each is announced through
 * `onClient`, so the progress line can show their combined requests (./combined-stats).
 */
import { UploadSessionsClient } from '../../lib/api';
import { DEFAULT_LOCAL_WORKERS, runFanoutLocally } from '../../lib/fanout/local-loop';
import type { PreviousRun } from '../../lib/report/previous-run';
import type { RunProgress } from '../../lib/report/progress';
import { type PlacedRun, placeRun, type RunLayout } from '../../lib/report/publish';
import type { ReportMode } from '../../lib/report/summary';
import type { ComposingStore } from '../../lib/store/store';

export interface FanoutReportOptions {
  api: { url: string; apiKey: string };
  store: ComposingStore;
  /** How the run is laid out in `store`. */
  layout: RunLayout;
  workspace: string;
  mode: ReportMode;
  runId: string;
  /** Max requests in flight, shared by the batches running at once. */
  concurrency: number;
  /** Files per batch (default: the library's). */
  batchFiles?: number;
  progress: RunProgress;
  /** The run changes.csv compares with (default: latest.json's run in `store`). */
  previous?: PreviousRun;
  /** The stuck threshold in hours (default 24). */
  stuckAfterHours?: number;
  /** Called with each step's client as the step starts. */
  onClient?: (client: UploadSessionsClient) => void;
}

/** Runs the fan-out; returns the summary and the run folder. */
export async function fanoutReport(options: FanoutReportOptions): Promise<PlacedRun> {
  const { store, workspace, runId } = options;
  const { prefix, publishLatest } = placeRun(options.layout, workspace, runId);
  const run = await runFanoutLocally({
    newClient: () => {
      const client = new UploadSessionsClient({
        baseUrl: options.api.url,
        apiKey: options.api.apiKey,
        concurrency: Math.max(1, Math.floor(options.concurrency / DEFAULT_LOCAL_WORKERS)),
      });
      options.onClient?.(client);
      return client;
    },
    store,
    prefix,
    workspace,
    runId,
    mode: options.mode,
    publishLatest,
    limits: options.batchFiles === undefined ? {} : { maxFiles: options.batchFiles },
    progress: options.progress,
    previous: options.previous,
    stuckAfterHours: options.stuckAfterHours,
  });
  return { summary: run.summary, prefix };
}
