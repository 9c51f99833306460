/**
 * Step 2 of a fan-out run, once per batch: read the batch's sessions exactly as the
 * single-process report does (same readers, same order, same rows) and write the rows as part
 * files without headers, then `counts-<batch>.json`, last, so its presence means the parts are
 * whole. A retried batch simply writes the same keys again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UploadSessionsClient } from '../api';
import type { Cell } from '../report/columns';
import { csvRows } from '../report/csv';
import { describeFailure, ReportFailedError } from '../report/failure';
import { forEachInOrder } from '../report/in-order';
import { newProgress, type RunProgress } from '../report/progress';
import { sessionRow } from '../report/rows';
import { readSessionFull } from '../report/session-full';
import { disposeRows, type SessionContext, type SessionOutcome } from '../report/session-outcome';
import { readSessionSummary } from '../report/session-summary';
import { StreamedFile } from '../report/streamed-file';
import { type ReportMode, WorkspaceTotals } from '../report/summary';
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

interface Parts {
  files?: StreamedFile;
  failed: StreamedFile;
}

/**
 * Writes the batch's part files and counts and returns the counts. On failure it leaves
 * `error-<batch>.json` behind and throws a `ReportFailedError`; partial part files are discarded.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchCounts> {
  const { store, prefix, batch, client } = options;
  const startedAt = Date.now();
  const tmp = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'ingestion-fanout-'));
  const open = (part: 'files' | 'failed_files') =>
    new StreamedFile(store, partKey(prefix, part, batch.index), CSV);
  const parts: Parts = {
    files: options.mode === 'full' ? open('files') : undefined,
    failed: open('failed_files'),
  };
  const totals = new WorkspaceTotals();
  try {
    const sessionRows = await walkBatch(options, tmp, totals, parts);
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
    await rm(tmp, { recursive: true, force: true });
  }
}

/** runReport's walk over one batch of sessions; returns the batch's rows of sessions.csv. */
async function walkBatch(
  options: RunBatchOptions,
  tmpDir: string,
  totals: WorkspaceTotals,
  parts: Parts,
): Promise<Cell[][]> {
  const context: SessionContext = {
    client: options.client,
    workspace: options.workspace,
    tmpDir,
    progress: options.progress ?? newProgress(),
    pageWindow: options.pageWindow ?? 32,
  };
  const read = options.mode === 'full' ? readSessionFull : readSessionSummary;
  const sessionRows: Cell[][] = [];
  await forEachInOrder(
    options.batch.sessions,
    options.sessionWindow ?? 64,
    (session) => read(context, session),
    async (outcome) => {
      sessionRows.push(sessionRow(outcome.session, outcome.counts, outcome.error));
      addToTotals(totals, outcome);
      await copyRows(outcome, parts);
    },
  );
  return sessionRows;
}

function addToTotals(totals: WorkspaceTotals, outcome: SessionOutcome): void {
  totals.sessionsByStatus.add(outcome.session.status);
  if (outcome.counts) totals.files.addAll(outcome.counts);
  if (outcome.error) totals.warnings.push({ session_id: outcome.session.session_id, code: outcome.error });
}

async function copyRows(outcome: SessionOutcome, parts: Parts): Promise<void> {
  try {
    if (parts.files && outcome.rows.files) {
      for await (const text of outcome.rows.files.read()) await parts.files.write(text);
    }
    for await (const text of outcome.rows.failed.read()) await parts.failed.write(text);
  } finally {
    await disposeRows(outcome.rows);
  }
}
