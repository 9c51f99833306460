/**
 * `--fanout`: the report as the Step Functions workflow makes it (plan, a worker per batch,
 * finalize), run in this process against the same store. Each step has its own client, as each
 * Lambda invocation does; together they keep to --concurrency, and each is announced through
 * `onClient`, so the progress line can show their combined requests (./combined-stats).
 * Into a store with history the run holds the workspace's lease (`fanoutReportUnderLease`): it
 * stops at once when the lease is lost, and its status.json ends with where its steps got.
 */
import { UploadSessionsClient } from '../../lib/api';
import { summaryProgress } from '../../lib/fanout/fanout-lease';
import { removeFanoutScratch } from '../../lib/fanout/finalize';
import { DEFAULT_LOCAL_WORKERS, runFanoutLocally } from '../../lib/fanout/local-loop';
import { readFanoutProgress } from '../../lib/fanout/step-progress';
import type { ClaimedRun } from '../../lib/report/leased-run';
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
  /** Stops the run (it lost its lease): no request after it, nothing published. */
  signal?: AbortSignal;
  /** Remove the scratch once complete (default true). */
  removeScratch?: boolean;
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
    signal: options.signal,
    removeScratch: options.removeScratch,
  });
  return { summary: run.summary, prefix };
}

/**
 * The fan-out under the run's lease (claimed): the loop gets the lease-loss signal, and
 * status.json ends with the summary's numbers, or, when the run failed, with where its steps
 * got, never less than it showed while running. The scratch goes after the last status write.
 */
export async function fanoutReportUnderLease(
  claimed: ClaimedRun,
  options: FanoutReportOptions,
): Promise<PlacedRun> {
  const { prefix } = placeRun(options.layout, options.workspace, options.runId);
  let placed: PlacedRun | undefined;
  await claimed.hold(async (signal) => {
    try {
      placed = await fanoutReport({ ...options, signal, removeScratch: false });
    } catch (error) {
      const steps = await readFanoutProgress(options.store, prefix).catch(() => undefined);
      if (steps) claimed.status.settle(steps);
      throw error;
    }
    claimed.status.settle(summaryProgress(placed.summary));
    return placed.summary;
  });
  await removeFanoutScratch(options.store, prefix);
  return placed!;
}
