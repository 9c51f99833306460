/**
 * Step 2 of a fan-out run, once per batch: read the batch's sessions exactly as the
 * single-process report does (same readers, same order, same rows) and write the rows as part
 * files without headers, then `counts-<batch>.json`, last, so its presence means the parts are
 * whole. A retried batch simply writes the same keys again. While it runs it keeps its
 * progress object (./batch-progress), so the run's status moves while the workers work.
 */
import type { UploadSessionsClient } from '../api';
import { csvRows } from '../report/csv';
import { newProgress, type RunProgress } from '../report/progress';
import { runSkeleton } from '../report/run-skeleton';
import { StuckTally } from '../report/stuck';
import { type ReportMode, WorkspaceTotals } from '../report/summary';
import { writeSessions } from '../report/write-sessions';
import { CSV_CONTENT_TYPE, writeJson } from '../store/content';
import type { ReportStore } from '../store/store';
import { type BatchCounts, batchCountsOf } from './batch-counts';
import { BatchProgressReport } from './batch-progress';
import { writeFailureRecord } from './failure-record';
import { countsKey, errorKey, partKey, progressKey } from './layout';
import type { ManifestBatch } from './manifest';

export interface RunBatchOptions {
  /** The batch's own client: its stats are the batch's requests. */
  client: UploadSessionsClient;
  store: ReportStore;
  /** The run folder ('' or ending in '/'). */
  prefix: string;
  workspace: string;
  mode: ReportMode;
  batch: ManifestBatch;
  progress?: RunProgress;
  /** Sessions read ahead of the one being written (default 64, as runReport). */
  sessionWindow?: number;
  /** Pages of one session requested ahead (default DEFAULT_PAGE_WINDOW, as runReport). */
  pageWindow?: number;
  tmpDir?: string;
  /** Stops the batch (e.g. the run lost its lease): no request after it, no counts written. */
  signal?: AbortSignal;
  /** How often the batch's progress object is rewritten while it moves (default 2 s). */
  progressIntervalMs?: number;
}

/**
 * Writes the batch's part files and counts and returns the counts. On failure it leaves
 * `error-<batch>.json` behind and throws a `ReportFailedError`; partial part files are discarded.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchCounts> {
  const { store, prefix, batch, client } = options;
  const startedAt = Date.now();
  const totals = new WorkspaceTotals();
  // Counted as the summary counts them, so the batch's last progress is its share of the summary.
  const report = await BatchProgressReport.open(store, progressKey(prefix, batch.index), () => ({
    sessions_done: totals.sessionsByStatus.total,
    files_seen: totals.files.total,
    requests: client.stats.requests,
    retries: client.stats.retries,
  }));
  report.watch(options.progressIntervalMs);
  try {
    return await writeBatch(options, totals, report, startedAt);
  } finally {
    await report.finish();
  }
}

async function writeBatch(
  options: RunBatchOptions,
  totals: WorkspaceTotals,
  report: BatchProgressReport,
  startedAt: number,
): Promise<BatchCounts> {
  const { store, prefix, batch } = options;
  // Every batch judges by the plan's start, so a session is stuck or not whichever batch has it.
  const stuck = new StuckTally(batch.run_started_at ?? startedAt, batch.stuck_after_hours);
  return runSkeleton({
    store,
    mode: options.mode,
    tmpDir: options.tmpDir,
    signal: options.signal,
    outputKey: (output) => partKey(prefix, output, batch.index),
    walk: ({ tmpDir, outputs, signal }) =>
      writeSessions(
        batch.sessions,
        { ...options, tmpDir, progress: options.progress ?? newProgress(), signal, stuck },
        totals,
        outputs,
      ),
    complete: async (sessionRows) => {
      const sessions = csvRows(sessionRows);
      await store.write(partKey(prefix, 'sessions', batch.index), sessions, {
        contentType: CSV_CONTENT_TYPE,
      });
      const counts = batchCountsOf(
        batch.index,
        totals,
        stuck.toSummary(),
        report.now(),
        Date.now() - startedAt,
      );
      // The progress first: once the counts exist, it says what they say.
      await report.finish();
      await writeJson(store, countsKey(prefix, batch.index), counts);
      return counts;
    },
    recordFailure: (failure) => {
      const spent = report.now();
      return writeFailureRecord(store, errorKey(prefix, batch.index), {
        ...failure,
        api_requests: spent.requests,
        api_retries: spent.retries,
        started_at: startedAt,
      });
    },
  });
}
