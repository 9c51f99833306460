/**
 * One report run: list every session, read each session's files (or counts, in mode summary)
 * concurrently, and stream the rows into the report files in a deterministic order while the
 * pages arrive; each session is compared with the previous run's as it is written
 * (changes.csv) and judged stuck or not. Either every file is written whole, or the run fails,
 * every CSV is removed (also one the store had finished), and summary.json says
 * `complete: false` and why.
 */
import type { UploadSessionsClient } from '../api';
import { CSV_CONTENT_TYPE, writeJson } from '../store/content';
import type { ReportStore } from '../store/store';
import { type Cell, FILE_COLUMNS, REPORT_FILES, SESSION_COLUMNS } from './columns';
import { csvHeader, csvRows } from './csv';
import { discardRun } from './discard-run';
import type { Failure } from './failure';
import { listAllSessions } from './list-sessions';
import { LATEST_RUN, type PreviousRun, resolveBaseline } from './previous-run';
import { newProgress, type RunProgress } from './progress';
import { RunChanges } from './run-changes';
import { type RunScope, runSkeleton } from './run-skeleton';
import { StuckTally } from './stuck';
import { buildSummary, type ReportMode, type ReportSummary, WorkspaceTotals } from './summary';
import { type WriteSessionsOptions, writeSessions } from './write-sessions';

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
  /** Pages of one session requested ahead of the one being written (default DEFAULT_PAGE_WINDOW). */
  pageWindow?: number;
  tmpDir?: string;
  /** Stops the run (e.g. it lost its lease): no request after it, nothing completed. */
  signal?: AbortSignal;
  /** The run compared with for changes.csv (default: what latest.json pointed at before the run). */
  previous?: PreviousRun;
  /** A session with pending files older than this at the run's start is stuck (default 24). */
  stuckAfterHours?: number;
}

export async function runReport(options: RunReportOptions): Promise<ReportSummary> {
  const startedAt = Date.now();
  const { store, prefix } = options.target;
  const totals = new WorkspaceTotals();
  const stuck = new StuckTally(startedAt, options.stuckAfterHours);
  let changes: RunChanges | undefined;
  const summaryOf = (error?: Failure, changesField?: ReportSummary['changes']) =>
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
      changes: changesField,
      stuck: stuck.toSummary(),
    });
  return runSkeleton({
    store,
    mode: options.mode,
    tmpDir: options.tmpDir,
    signal: options.signal,
    outputKey: (output) => prefix + (output === 'files' ? REPORT_FILES.files : REPORT_FILES.failedFiles),
    walk: async (scope) => {
      const baseline = await resolveBaseline(
        options.previous ?? LATEST_RUN,
        store,
        options.workspace,
        options.mode,
      );
      changes = new RunChanges(store, prefix + REPORT_FILES.changes, baseline);
      await changes.start();
      return walkWorkspace(options, scope, totals, {
        stuck,
        onSession: (outcome) => changes!.session(outcome),
      });
    },
    complete: async (sessionRows) => {
      const changesField = await changes!.finish();
      const sessions = csvHeader(SESSION_COLUMNS) + csvRows(sessionRows);
      await store.write(prefix + REPORT_FILES.sessions, sessions, { contentType: CSV_CONTENT_TYPE });
      const summary = summaryOf(undefined, changesField);
      await writeJson(store, prefix + REPORT_FILES.summary, summary);
      return summary;
    },
    recordFailure: async (failure) => {
      await changes?.abort(new Error(failure.message));
      // A workspace that does not exist gets no run folder at all. Otherwise the run folder says
      // it is incomplete and why, and keeps no file that was written whole.
      if (failure.code === 'WORKSPACE_NOT_FOUND') return;
      await discardRun(store, prefix, summaryOf(failure));
    },
  });
}

/** Lists the sessions, then reads and writes them all; returns the rows of sessions.csv. */
async function walkWorkspace(
  options: RunReportOptions,
  { tmpDir, outputs, signal }: RunScope,
  totals: WorkspaceTotals,
  perSession: Pick<WriteSessionsOptions, 'stuck' | 'onSession'>,
): Promise<Cell[][]> {
  const header = csvHeader(FILE_COLUMNS);
  await Promise.all([outputs.files?.write(header), outputs.failed.write(header)]);
  const progress = options.progress ?? newProgress();
  const sessions = await listAllSessions(options.client, options.workspace, options.pageWindow, signal);
  progress.sessionsTotal = sessions.length;
  return writeSessions(sessions, { ...options, ...perSession, tmpDir, progress, signal }, totals, outputs);
}
