/**
 * `--fanout`: the report as the Step Functions workflow makes it (plan, a worker per batch,
 * finalize), run in this process against the same store. Each step has its own client, as each
 * Lambda invocation does; together they keep to --concurrency, and the progress line shows
 * their combined requests.
 */
import { type ClientStats, type LongWait, UploadSessionsClient } from '../../lib/api';
import { DEFAULT_LOCAL_WORKERS, runFanoutLocally } from '../../lib/fanout/local-loop';
import type { RunProgress } from '../../lib/report/progress';
import type { ReportMode, ReportSummary } from '../../lib/report/summary';
import type { ComposingStore } from '../../lib/store/store';

export interface FanoutReportOptions {
  api: { url: string; apiKey: string };
  store: ComposingStore;
  /** '' for a folder; the run folder of the S3 layout, which also moves latest.json. */
  prefix: string;
  workspace: string;
  mode: ReportMode;
  runId: string;
  /** Max requests in flight, shared by the batches running at once. */
  concurrency: number;
  /** Files per batch (default: the library's). */
  batchFiles?: number;
  progress: RunProgress;
}

/** The clients' combined stats, live, for the progress line. */
export function combinedStats(clients: readonly UploadSessionsClient[]): ClientStats {
  const sum = (pick: (stats: ClientStats) => number) => clients.reduce((n, c) => n + pick(c.stats), 0);
  return {
    get requests() {
      return sum((s) => s.requests);
    },
    get retries() {
      return sum((s) => s.retries);
    },
    get throttled() {
      return sum((s) => s.throttled);
    },
    get inFlight() {
      return sum((s) => s.inFlight);
    },
    get concurrencyLimit() {
      return sum((s) => s.concurrencyLimit);
    },
    get maxInFlight() {
      return Math.max(0, ...clients.map((c) => c.stats.maxInFlight));
    },
    get longWait() {
      const waits = clients.flatMap((c) => (c.stats.longWait ? [c.stats.longWait] : []));
      return waits.reduce<LongWait | undefined>((a, b) => (a && a.endsAt >= b.endsAt ? a : b), undefined);
    },
  };
}

/** Runs the fan-out; returns the summary. */
export async function fanoutReport(
  options: FanoutReportOptions,
  clients: UploadSessionsClient[] = [],
): Promise<ReportSummary> {
  const { store, prefix, workspace, runId } = options;
  const run = await runFanoutLocally({
    newClient: () => {
      const client = new UploadSessionsClient({
        baseUrl: options.api.url,
        apiKey: options.api.apiKey,
        concurrency: Math.max(1, Math.floor(options.concurrency / DEFAULT_LOCAL_WORKERS)),
      });
      clients.push(client);
      return client;
    },
    store,
    prefix,
    workspace,
    runId,
    mode: options.mode,
    publishLatest: prefix !== '',
    limits: options.batchFiles === undefined ? {} : { maxFiles: options.batchFiles },
    progress: options.progress,
  });
  return run.summary;
}
