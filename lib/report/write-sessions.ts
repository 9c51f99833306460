/**
 * The heart of a run, shared by the single-process report and each fan-out worker: read the
 * given sessions concurrently (files, or counts in mode summary) and write their rows in order
 * into the files.csv / failed_files.csv outputs, adding up the totals as they go.
 */
import { DEFAULT_PAGE_WINDOW, type UploadSessionsClient } from '../api';
import type { Session } from '../api/schemas';
import type { Cell } from './columns';
import { forEachInOrder } from './in-order';
import { PriorityGate } from './priority-gate';
import type { RunProgress } from './progress';
import { sessionRow } from './rows';
import { RunCancellation } from './run-cancellation';
import { readSessionFull } from './session-full';
import { disposeRows, type SessionContext, type SessionOutcome } from './session-outcome';
import { readSessionSummary } from './session-summary';
import type { StreamedFile } from './streamed-file';
import type { StuckTally } from './stuck';
import type { ReportMode, WorkspaceTotals } from './summary';

/** Where the rows go: files.csv (mode full only) and failed_files.csv, or their part files. */
export interface RowOutputs {
  files?: StreamedFile;
  failed: StreamedFile;
}

export interface WriteSessionsOptions {
  client: UploadSessionsClient;
  workspace: string;
  mode: ReportMode;
  tmpDir: string;
  progress: RunProgress;
  /** Sessions read ahead of the one being written (default 64). */
  sessionWindow?: number;
  /** Pages of one session requested ahead of the one being written (default 32). */
  pageWindow?: number;
  /** Cancels the reads (e.g. the enclosing run failed elsewhere). */
  signal?: AbortSignal;
  /** Decides each session's `stuck` cell and adds up the stuck ones. */
  stuck: StuckTally;
  /**
   * Told of each session in report order, once its rows are copied and while they are still
   * readable (e.g. to compare them with the previous run's).
   */
  onSession?: (outcome: SessionOutcome) => Promise<void>;
}

/** Returns the rows of sessions.csv for `sessions`, in their order. */
export async function writeSessions(
  sessions: readonly Session[],
  options: WriteSessionsOptions,
  totals: WorkspaceTotals,
  outputs: RowOutputs,
): Promise<Cell[][]> {
  const order = new Map(sessions.map((session, index) => [session, index]));
  const { client } = options;
  const gate = new PriorityGate(() => gateCapacity(client.stats.concurrencyLimit));
  const cancellation = new RunCancellation(options.signal);
  const context: SessionContext = {
    client,
    workspace: options.workspace,
    tmpDir: options.tmpDir,
    progress: options.progress,
    pageWindow: options.pageWindow ?? DEFAULT_PAGE_WINDOW,
    schedule: (session, request) => gate.run(order.get(session) ?? 0, request),
    signal: cancellation.signal,
    cancelRun: cancellation.fail,
  };
  const read = options.mode === 'full' ? readSessionFull : readSessionSummary;
  const reading = new Set<Promise<SessionOutcome>>();
  const sessionRows: Cell[][] = [];
  try {
    await forEachInOrder(
      sessions,
      options.sessionWindow ?? 64,
      (session) => tracked(reading, read(context, session)),
      async (outcome) => {
        const pending = outcome.counts ? outcome.counts.byStatus.get('PENDING') : null;
        const stuck = options.stuck.add({ created_at: outcome.session.created_at, pending });
        sessionRows.push(sessionRow(outcome.session, outcome.counts, outcome.error, stuck));
        addToTotals(totals, outcome);
        try {
          await copyRows(outcome, outputs);
          await options.onSession?.(outcome);
        } finally {
          await disposeRows(outcome.rows);
        }
      },
    );
  } catch (error) {
    cancellation.fail(error);
    // Cancelled reads end at once; waiting for them means nothing of the run outlives it.
    await Promise.allSettled(reading);
    throw cancellation.failureOr(error);
  } finally {
    cancellation.dispose();
  }
  return sessionRows;
}

/** `promise`, listed in `set` until it settles. */
function tracked<T>(set: Set<Promise<T>>, promise: Promise<T>): Promise<T> {
  set.add(promise);
  const forget = () => set.delete(promise);
  promise.then(forget, forget);
  return promise;
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

async function copyRows(outcome: SessionOutcome, outputs: RowOutputs): Promise<void> {
  if (outputs.files && outcome.rows.files) {
    for await (const chunk of outcome.rows.files.read()) await outputs.files.write(chunk);
  }
  for await (const chunk of outcome.rows.failed.read()) await outputs.failed.write(chunk);
}
