/**
 * Step 2 of a fan-out run, once per batch: read the batch's sessions exactly as the
 * single-process report does (same readers, same order, same rows) and write the rows as part
 * files without headers, then `counts-<batch>.json`, last, so its presence means the parts are
 * whole. A retried batch simply writes the same keys again.
 */
import type { UploadSessionsClient } from '../api';
import { csvRows } from '../report/csv';
import { describeFailure, ReportFailedError } from '../report/failure';
import { newProgress, type RunProgress } from '../report/progress';
import { openSpillFolder } from '../report/spill-folder';
import { StreamedFile } from '../report/streamed-file';
import { type ReportMode, WorkspaceTotals } from '../report/summary';
import { type RowOutputs, writeSessions } from '../report/write-sessions';
import type { ReportStore } from '../store/store';
import { type BatchCounts, batchCountsOf } from './batch-counts';
import { writeFailureRecord } from './failure-record';
import { countsKey, errorKey, partKey } from './layout';
import type { ManifestBatch } from './manifest';

const CSV = 'text/csv; charset=utf-8';

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
  /** Pages of one session requested ahead (default 32, as runReport). */
  pageWindow?: number;
  tmpDir?: string;
}

/**
 * Writes the batch's part files and counts and returns the counts. On failure it leaves
 * `error-<batch>.json` behind and throws a `ReportFailedError`; partial part files are discarded.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchCounts> {
  const { store, prefix, batch, client } = options;
  const startedAt = Date.now();
  const spill = await openSpillFolder(options.tmpDir);
  const tmp = spill.path;
  const open = (part: 'files' | 'failed_files') =>
    new StreamedFile(store, partKey(prefix, part, batch.index), CSV);
  const parts: RowOutputs = {
    files: options.mode === 'full' ? open('files') : undefined,
    failed: open('failed_files'),
  };
  const totals = new WorkspaceTotals();
  try {
    const sessionRows = await writeSessions(
      options.batch.sessions,
      { ...options, tmpDir: tmp, progress: options.progress ?? newProgress() },
      totals,
      parts,
    );
    await Promise.all([parts.files?.finish(), parts.failed.finish()]);
    await store.write(partKey(prefix, 'sessions', batch.index), csvRows(sessionRows), { contentType: CSV });
    const counts = batchCountsOf(batch.index, totals, client.stats, Date.now() - startedAt);
    await store.write(countsKey(prefix, batch.index), `${JSON.stringify(counts, null, 2)}\n`, {
      contentType: 'application/json',
    });
    return counts;
  } catch (error) {
    const reason = error instanceof Error ? error : new Error(String(error));
    await Promise.all([parts.files?.abort(reason), parts.failed.abort(reason)]);
    const failure = describeFailure(error);
    await writeFailureRecord(store, errorKey(prefix, batch.index), {
      ...failure,
      api_requests: client.stats.requests,
      api_retries: client.stats.retries,
      started_at: startedAt,
    });
    throw new ReportFailedError(failure, { cause: error });
  } finally {
    await spill.dispose();
  }
}
