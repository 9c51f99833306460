/**
 * One report run: list every session, read each session's files (or counts, in mode summary)
 * concurrently, and stream the rows into the report files in a deterministic order while the
 * pages arrive. Either every file is written whole, or the run fails, every CSV is removed
 * (also one the store had finished), and summary.json says `complete: false` and why.
 */
import type { UploadSessionsClient } from '../api';
import type { ReportStore } from '../store/store';
import { type Cell, FILE_COLUMNS, REPORT_FILES, SESSION_COLUMNS } from './columns';
import { csvHeader, csvRows } from './csv';
import { discardRun, writeSummary } from './discard-run';
import { describeFailure, type Failure, ReportFailedError } from './failure';
import { listAllSessions } from './list-sessions';
import { newProgress, type RunProgress } from './progress';
import { RunCancellation } from './run-cancellation';
import { openSpillFolder } from './spill-folder';
import { StreamedFile } from './streamed-file';
import { buildSummary, type ReportMode, type ReportSummary, WorkspaceTotals } from './summary';
import { type RowOutputs, writeSessions } from './write-sessions';

const CSV = 'text/csv; charset=utf-8';

/** Where a run's files go: `store` keys are `prefix` + file name. */
export interface ReportTarget {
  store: ReportStore;
  prefix: string;
}

export interface RunReportOptions {
  client: UploadSessionsClient;
  workspace: string;
  mode: ReportMode;
  runId: string;
  target: ReportTarget;
  progress?: RunProgress;
  /** Sessions read ahead of the one being written (default 64). */
  sessionWindow?: number;
  /** Pages of one session requested ahead of the one being written (default 32). */
  pageWindow?: number;
  tmpDir?: string;
}

export async function runReport(options: RunReportOptions): Promise<ReportSummary> {
  const startedAt = Date.now();
  const { store, prefix } = options.target;
  const totals = new WorkspaceTotals();
  const summaryOf = (error?: Failure) =>
    buildSummary({
      workspace: options.workspace,
      runId: options.runId,
      mode: options.mode,
      startedAt,
      finishedAt: Date.now(),
      requests: options.client.stats.requests,
      retries: options.client.stats.retries,
      totals,
      error,
    });
  const spill = await openSpillFolder(options.tmpDir);
  const tmp = spill.path;
  const outputs = openOutputs(options);
  const cancellation = new RunCancellation();
  try {
    const sessionRows = await walkWorkspace(options, tmp, totals, outputs, cancellation.signal);
    await Promise.all([outputs.files?.finish(), outputs.failed.finish()]);
    await store.write(prefix + REPORT_FILES.sessions, csvHeader(SESSION_COLUMNS) + csvRows(sessionRows), {
      contentType: CSV,
    });
    const summary = summaryOf();
    await writeSummary(store, prefix, summary);
    return summary;
  } catch (thrown) {
    // Nothing of a failed run keeps talking to the API.
    cancellation.fail(thrown);
    const error = cancellation.failureOr(thrown);
    const reason = error instanceof Error ? error : new Error(String(error));
    await Promise.all([outputs.files?.abort(reason), outputs.failed.abort(reason)]);
    const failure = describeFailure(error);
    // A workspace that does not exist gets no run folder at all.
    if (failure.code === 'WORKSPACE_NOT_FOUND') throw new ReportFailedError(failure, { cause: error });
    // The run folder says it is incomplete and why, and keeps no file that was written whole.
    await discardRun(store, prefix, summaryOf(failure));
    throw new ReportFailedError(failure, { cause: error });
  } finally {
    await spill.dispose();
  }
}

function openOutputs({ target, mode }: RunReportOptions): RowOutputs {
  const open = (name: string) => new StreamedFile(target.store, target.prefix + name, CSV);
  return {
    files: mode === 'full' ? open(REPORT_FILES.files) : undefined,
    failed: open(REPORT_FILES.failedFiles),
  };
}

/** Lists the sessions, then reads and writes them all; returns the rows of sessions.csv. */
async function walkWorkspace(
  options: RunReportOptions,
  tmpDir: string,
  totals: WorkspaceTotals,
  outputs: RowOutputs,
  signal: AbortSignal,
): Promise<Cell[][]> {
  const header = csvHeader(FILE_COLUMNS);
  await Promise.all([outputs.files?.write(header), outputs.failed.write(header)]);
  const progress = options.progress ?? newProgress();
  const window = options.pageWindow ?? 32;
  const sessions = await listAllSessions(options.client, options.workspace, window, signal);
  progress.sessionsTotal = sessions.length;
  return writeSessions(sessions, { ...options, tmpDir, progress, signal }, totals, outputs);
}
