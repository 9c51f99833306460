/**
 * The report as the benchmark runs it, in its own process: what `npm run report` does (a
 * client, the destination's store, `runReport`), plus the numbers the CLI does not print.
 * It samples the client every few milliseconds (requests in flight, the adaptive limit) and
 * prints one JSON line (`ReportChildResult`) on stdout at the end.
 *
 * Usage: node report.mjs <workspace> <mode> <concurrency> <out-dir>
 * (env DEEPSET_API_URL, DEEPSET_API_KEY; BENCH_PREVIOUS names the run folder to compare with,
 * or `none`; for experiments BENCH_SESSION_WINDOW and BENCH_PAGE_WINDOW override runReport's
 * windows).
 */

import { parseDestination, storeFor } from '../functions/shared/destination';
import { UploadSessionsClient } from '../lib/api';
import type { PreviousRun } from '../lib/report/previous-run';
import { newRunId } from '../lib/report/run-id';
import { runReport } from '../lib/report/run-report';
import type { ReportMode, ReportSummary } from '../lib/report/summary';
import { FolderStore } from '../lib/store/folder-store';

/** What the child prints. */
export interface ReportChildResult {
  complete: boolean;
  durationMs: number;
  sessions: number;
  files: number;
  byStatus: Record<string, number>;
  requests: number;
  retries: number;
  throttled: number;
  maxInFlight: number;
  /** Time-weighted average of requests in flight while the report ran. */
  avgInFlight: number;
  minLimit: number;
  finalLimit: number;
  maxRssBytes: number;
  maxHeapUsedBytes: number;
  /** CPU time of this process (user + system), start-up included. */
  cpuMs: number;
  /** summary.json `changes` and `stuck`. */
  changes: ReportSummary['changes'];
  stuck: ReportSummary['stuck'];
}

const SAMPLE_MS = 5;

async function main(): Promise<void> {
  const [workspace = 'demo', mode = 'full', concurrency = '16', out = '.'] = process.argv.slice(2);
  const client = new UploadSessionsClient({
    baseUrl: process.env.DEEPSET_API_URL ?? '',
    apiKey: process.env.DEEPSET_API_KEY ?? '',
    concurrency: Number(concurrency),
  });
  const sampler = startSampler(client);
  const summary = await runReport({
    client,
    workspace,
    mode: mode as ReportMode,
    runId: newRunId(),
    target: { store: await storeFor(parseDestination(out)), prefix: '' },
    previous: previousRun(process.env.BENCH_PREVIOUS),
    ...(process.env.BENCH_SESSION_WINDOW ? { sessionWindow: Number(process.env.BENCH_SESSION_WINDOW) } : {}),
    ...(process.env.BENCH_PAGE_WINDOW ? { pageWindow: Number(process.env.BENCH_PAGE_WINDOW) } : {}),
  });
  const sampled = sampler.stop();
  const result: ReportChildResult = {
    complete: summary.complete,
    durationMs: summary.duration_ms,
    sessions: summary.sessions.total,
    files: summary.files.total,
    byStatus: summary.files.by_ingestion_status,
    requests: client.stats.requests,
    retries: client.stats.retries,
    throttled: client.stats.throttled,
    maxInFlight: client.stats.maxInFlight,
    finalLimit: client.stats.concurrencyLimit,
    ...sampled,
    // maxRSS is in KiB.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: cpuMs(),
    changes: summary.changes,
    stuck: summary.stuck,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function previousRun(value: string | undefined): PreviousRun | undefined {
  if (value === undefined) return undefined;
  return value === 'none' ? { kind: 'none' } : { kind: 'folder', store: new FolderStore(value), prefix: '' };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

function startSampler(client: UploadSessionsClient) {
  let inFlightSum = 0;
  let samples = 0;
  let minLimit = client.stats.concurrencyLimit;
  let maxHeapUsedBytes = 0;
  const timer = setInterval(() => {
    inFlightSum += client.stats.inFlight;
    samples++;
    minLimit = Math.min(minLimit, client.stats.concurrencyLimit);
    if (samples % 10 === 0) maxHeapUsedBytes = Math.max(maxHeapUsedBytes, process.memoryUsage().heapUsed);
  }, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return { avgInFlight: samples ? inFlightSum / samples : 0, minLimit, maxHeapUsedBytes };
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`report-child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
