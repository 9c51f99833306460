/**
 * One report run: list every session, read each session's files (or counts, in mode summary)
 * concurrently, and stream the rows into the report files in a deterministic order while the
 * pages arrive. Either every file is written whole, or the run fails, the CSVs are discarded,
 * and summary.json says `complete: false` and why.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UploadSessionsClient } from '../api';
import type { ReportStore } from '../store/store';
import { type Cell, FILE_COLUMNS, REPORT_FILES, SESSION_COLUMNS } from './columns';
import { csvHeader, csvRows } from './csv';
import { describeFailure, type Failure, ReportFailedError } from './failure';
import { forEachInOrder } from './in-order';
import { listAllSessions } from './list-sessions';
import { PriorityGate } from './priority-gate';
import { newProgress, type RunProgress } from './progress';
import { sessionRow } from './rows';
import { readSessionFull } from './session-full';
import { disposeRows, type SessionContext, type SessionOutcome } from './session-outcome';
import { readSessionSummary } from './session-summary';
import { StreamedFile } from './streamed-file';
import { buildSummary, type ReportMode, type ReportSummary, WorkspaceTotals } from './summary';

const CSV = 'text/csv; charset=utf-8';
const JSON_TYPE = 'application/json';

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
  const tmp = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'ingestion-report-'));
  const outputs = openOutputs(options);
  try {
    const sessionRows = await walkWorkspace(options, tmp, totals, outputs);
    await Promise.all([outputs.files?.finish(), outputs.failed.finish()]);
    await store.write(prefix + REPORT_FILES.sessions, csvHeader(SESSION_COLUMNS) + csvRows(sessionRows), {
      contentType: CSV,
    });
    const summary = summaryOf();
    await store.write(prefix + REPORT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`, {
      contentType: JSON_TYPE,
    });
    return summary;
  } catch (error) {
    const reason = error instanceof Error ? error : new Error(String(error));
    await Promise.all([outputs.files?.abort(reason), outputs.failed.abort(reason)]);
    const failure = describeFailure(error);
    // A workspace that does not exist gets no run folder at all.
    if (failure.code === 'WORKSPACE_NOT_FOUND') throw new ReportFailedError(failure, { cause: error });
    // Best effort: the run folder says it is incomplete and why; the run fails either way.
    await store
      .write(prefix + REPORT_FILES.summary, `${JSON.stringify(summaryOf(failure), null, 2)}\n`, {
        contentType: JSON_TYPE,
      })
      .catch(() => {});
    throw new ReportFailedError(failure, { cause: error });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

interface Outputs {
  files?: StreamedFile;
  failed: StreamedFile;
}

function openOutputs({ target, mode }: RunReportOptions): Outputs {
  const open = (name: string) => new StreamedFile(target.store, target.prefix + name, CSV);
  return {
    files: mode === 'full' ? open(REPORT_FILES.files) : undefined,
    failed: open(REPORT_FILES.failedFiles),
  };
}

/** Reads every session and writes its rows in order; returns the rows of sessions.csv. */
async function walkWorkspace(
  options: RunReportOptions,
  tmpDir: string,
  totals: WorkspaceTotals,
  outputs: Outputs,
): Promise<Cell[][]> {
  const header = csvHeader(FILE_COLUMNS);
  await Promise.all([outputs.files?.write(header), outputs.failed.write(header)]);
  const pageWindow = options.pageWindow ?? 32;
  const progress = options.progress ?? newProgress();
  const sessions = await listAllSessions(options.client, options.workspace, pageWindow);
  progress.sessionsTotal = sessions.length;
  const order = new Map(sessions.map((session, index) => [session, index]));
  const client = options.client;
  const gate = new PriorityGate(() => gateCapacity(client.stats.concurrencyLimit));
  const context: SessionContext = {
    client,
    workspace: options.workspace,
    tmpDir,
    progress,
    pageWindow,
    schedule: (session, request) => gate.run(order.get(session) ?? 0, request),
  };
  const read = options.mode === 'full' ? readSessionFull : readSessionSummary;
  const sessionRows: Cell[][] = [];
  await forEachInOrder(
    sessions,
    options.sessionWindow ?? 64,
    (session) => read(context, session),
    async (outcome) => {
      sessionRows.push(sessionRow(outcome.session, outcome.counts, outcome.error));
      addToTotals(totals, outcome);
      await copyRows(outcome, outputs);
    },
  );
  return sessionRows;
}

/**
 * Requests let through to the client: more than its limit, so that a request is already queued
 * there when a slot frees (instead of waiting for the previous answer to be parsed), and so that
 * requests sleeping before a retry (they hold a gate slot, not a client slot) do not leave
 * client slots idle. Still few enough that report order decides who goes next.
 */
function gateCapacity(clientLimit: number): number {
  return Math.ceil(clientLimit * 1.5);
}

function addToTotals(totals: WorkspaceTotals, outcome: SessionOutcome): void {
  totals.sessionsByStatus.add(outcome.session.status);
  if (outcome.counts) totals.files.addAll(outcome.counts);
  if (outcome.error) totals.warnings.push({ session_id: outcome.session.session_id, code: outcome.error });
}

async function copyRows(outcome: SessionOutcome, outputs: Outputs): Promise<void> {
  try {
    if (outputs.files && outcome.rows.files) {
      for await (const text of outcome.rows.files.read()) await outputs.files.write(text);
    }
    for await (const text of outcome.rows.failed.read()) await outputs.failed.write(text);
  } finally {
    await disposeRows(outcome.rows);
  }
}
