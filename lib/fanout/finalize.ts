/**
 * Step 3 of a fan-out run: check every batch finished, assemble the CSVs, compare the run with
 * the previous one (changes.csv, ./finalize-changes), write summary.json (the batches' counts
 * added up; requests of the plan and every batch; duration from the plan's start), then
 * latest.json. A run with a failed or missing batch publishes no CSVs: its
 * summary.json says `complete: false` and why, latest.json stays where it was, and the scratch
 * stays for whoever investigates (the bucket's lifecycle rule expires it with the run).
 *
 * Finalizing again is safe: Step Functions retries a task whose Lambda answer was lost, and by
 * then the scratch may be gone. A run whose complete summary.json exists is not rebuilt (and
 * not overwritten with a failure); latest.json and the scratch removal are simply redone.
 */

import { CSV_FILE_NAMES, REPORT_FILES, type ReportFileName } from '../report/columns';
import { discardRun } from '../report/discard-run';
import { describeFailure, type Failure, ReportFailedError } from '../report/failure';
import { type AdvanceResult, advanceLatest } from '../report/latest-pointer';
import { LATEST_RUN, type PreviousRun } from '../report/previous-run';
import { DEFAULT_STUCK_AFTER_HOURS } from '../report/stuck';
import {
  buildSummary,
  type ReportMode,
  ReportSummary,
  type SummaryInput,
  WorkspaceTotals,
} from '../report/summary';
import { writeJson } from '../store/content';
import type { ComposeResult, ComposingStore, ReportStore } from '../store/store';
import { assembleReport } from './assemble';
import { addUpBatches, addUpStuck, BatchCounts } from './batch-counts';
import { type FailureRecord, readFailureRecord } from './failure-record';
import { writeFanoutChanges } from './finalize-changes';
import { batchLabel, countsKey, errorKey, fanoutPrefix } from './layout';
import type { FanoutPlan } from './plan';

export interface FinalizeFanoutOptions {
  store: ComposingStore;
  /** The run folder ('' or ending in '/'). */
  prefix: string;
  plan: FanoutPlan;
  /** Move `<workspace>/latest.json` to this run (the S3 layout); a folder run has none. */
  publishLatest: boolean;
  /** Remove `<prefix>fanout/` after a complete run (default true; best effort). */
  removeScratch?: boolean;
  /**
   * The run failed even if every batch finished (e.g. the map itself gave up). A batch's own
   * failure record, when one is missing its counts, is more specific and wins.
   */
  failure?: Failure;
  /** The run changes.csv compares with (default: what latest.json points at before this run). */
  previous?: PreviousRun;
  /**
   * The run was stopped from outside (it lost its lease): whatever its batches did, it fails
   * with this, and publishes nothing.
   */
  stopped?: Failure;
  /**
   * Aborts once the run may no longer publish (it lost its lease): checked before latest.json
   * moves; the run is then taken back to its incomplete summary, failing with the reason.
   */
  signal?: AbortSignal;
}

export interface FinalizedRun {
  plan: FanoutPlan;
  summary: ReportSummary;
  latest?: AdvanceResult;
  /** How each CSV was assembled, by file name. */
  composed: Partial<Record<ReportFileName, ComposeResult>>;
}

/** Finishes the run; throws a `ReportFailedError` (after writing the incomplete summary) if it can't. */
export async function finalizeFanout(options: FinalizeFanoutOptions): Promise<FinalizedRun> {
  const { store, prefix, plan } = options;
  const finished = await completeSummary(store, prefix, plan.runId);
  if (finished && !options.failure && !options.stopped) return publish(options, finished, {});
  const batches = await readBatchCounts(store, prefix, plan.batches);
  const done = batches.filter((batch): batch is BatchCounts => batch !== undefined);
  const unfinished = batches.flatMap((batch, index) => (batch ? [] : [index]));
  if (options.stopped || options.failure || unfinished.length > 0) {
    const records = await Promise.all(
      unfinished.map((index) => readFailureRecord(store, errorKey(prefix, index))),
    );
    const failure =
      options.stopped ??
      (unfinished.length > 0 ? batchFailure(unfinished, records, plan.batches) : options.failure!);
    const spent = records.filter((record): record is FailureRecord => record !== undefined);
    throw await failRun(store, prefix, plan, done, spent, failure);
  }
  let composed: FinalizedRun['composed'];
  let changes: ReportSummary['changes'];
  try {
    composed = await assembleReport(store, prefix, plan.mode, plan.batches);
    changes = await writeFanoutChanges(store, prefix, plan, options.previous ?? LATEST_RUN);
  } catch (error) {
    // Nothing half published: the report files go, the scratch stays for whoever investigates.
    await store.remove(CSV_FILE_NAMES.map((name) => prefix + name)).catch(() => {});
    throw await failRun(store, prefix, plan, done, [], ASSEMBLY_FAILURE, error);
  }
  const stuck = addUpStuck(done, plan.stuckAfterHours ?? DEFAULT_STUCK_AFTER_HOURS);
  const summary = summaryOf(plan, done, [], undefined, { changes, stuck });
  await writeJson(store, prefix + REPORT_FILES.summary, summary);
  return publish(options, summary, composed);
}

/** latest.json (when asked), then the scratch's removal: the steps after summary.json. */
async function publish(
  options: FinalizeFanoutOptions,
  summary: ReportSummary,
  composed: FinalizedRun['composed'],
): Promise<FinalizedRun> {
  const { store, prefix, plan, signal } = options;
  if (options.publishLatest && signal?.aborted) {
    const failure = describeFailure(signal.reason);
    await discardRun(store, prefix, { ...summary, complete: false, error: failure });
    throw new ReportFailedError(failure, { cause: signal.reason });
  }
  const latest = options.publishLatest
    ? await advanceLatest(store, {
        workspace: plan.workspace,
        run_id: plan.runId,
        generated_at: summary.generated_at,
        prefix,
      })
    : undefined;
  if (options.removeScratch ?? true) await removeFanoutScratch(store, prefix);
  return { plan, summary, latest, composed };
}

/** The run's summary.json when it is this run's and complete; else undefined. */
async function completeSummary(
  store: ReportStore,
  prefix: string,
  runId: string,
): Promise<ReportSummary | undefined> {
  const stored = await store.read(prefix + REPORT_FILES.summary);
  if (!stored) return undefined;
  let summary: ReportSummary;
  try {
    summary = ReportSummary.parse(JSON.parse(stored.body));
  } catch {
    return undefined;
  }
  return summary.complete && summary.run_id === runId ? summary : undefined;
}

/** The run's identity and what it cost before the batches. */
interface RunIdentity {
  workspace: string;
  runId: string;
  mode: ReportMode;
  startedAt: number;
  apiRequests: number;
  apiRetries: number;
}

/**
 * The plan failed, so there are no batches: writes the incomplete summary from the plan's
 * failure record (or `failure`, when there is none) and throws its `ReportFailedError`.
 */
export async function recordPlanFailure(options: {
  store: ReportStore;
  prefix: string;
  workspace: string;
  runId: string;
  mode: ReportMode;
  failure?: Failure;
  /** The plan's error, when the caller has it (local runs), kept as the thrown error's cause. */
  cause?: unknown;
}): Promise<never> {
  const { store, prefix } = options;
  const record = await readFailureRecord(store, errorKey(prefix, 'plan'));
  const failure = record ? { code: record.code, message: record.message } : options.failure;
  const run: RunIdentity = {
    ...options,
    startedAt: record?.started_at ?? Date.now(),
    apiRequests: record?.api_requests ?? 0,
    apiRetries: record?.api_retries ?? 0,
  };
  const known: Failure = failure ?? { code: 'INTERNAL', message: 'internal error' };
  throw await failRun(store, prefix, run, [], [], known, options.cause);
}

/** Every batch's counts, in batch order; undefined for a batch that did not finish. */
async function readBatchCounts(
  store: ReportStore,
  prefix: string,
  batches: number,
): Promise<(BatchCounts | undefined)[]> {
  return Promise.all(
    Array.from({ length: batches }, async (_, batch) => {
      const stored = await store.read(countsKey(prefix, batch));
      return stored ? BatchCounts.parse(JSON.parse(stored.body)) : undefined;
    }),
  );
}

/**
 * Why the run failed: the first unfinished batch that left a failure record (a stopped batch
 * leaves none, so the one that failed is named, not a sibling the map cancelled).
 */
function batchFailure(
  unfinished: readonly number[],
  records: readonly (FailureRecord | undefined)[],
  batches: number,
): Failure {
  const failed = records.findIndex((record) => record !== undefined);
  const index = unfinished[Math.max(0, failed)]!;
  const which = `batch ${batchLabel(index)} of ${batches}`;
  const record = records[failed];
  if (!record) return { code: 'BATCH_FAILED', message: `${which} did not finish (it left no counts)` };
  return { code: record.code, message: `${which} failed: ${record.message}` };
}

function summaryOf(
  run: RunIdentity,
  done: readonly BatchCounts[],
  failed: readonly FailureRecord[],
  error?: Failure,
  extra: Pick<SummaryInput, 'changes' | 'stuck'> = {},
): ReportSummary {
  const sum = (pick: (x: { api_requests: number; api_retries: number }) => number) =>
    [...done, ...failed].reduce((total, x) => total + pick(x), 0);
  return buildSummary({
    workspace: run.workspace,
    runId: run.runId,
    mode: run.mode,
    startedAt: run.startedAt,
    finishedAt: Date.now(),
    requests: run.apiRequests + sum((x) => x.api_requests),
    retries: run.apiRetries + sum((x) => x.api_retries),
    totals: done.length > 0 ? addUpBatches(done) : new WorkspaceTotals(),
    error,
    ...extra,
  });
}

/** Writes the incomplete summary (best effort) and returns the error to throw. */
async function failRun(
  store: ReportStore,
  prefix: string,
  run: RunIdentity,
  done: readonly BatchCounts[],
  failed: readonly FailureRecord[],
  failure: Failure,
  cause?: unknown,
): Promise<ReportFailedError> {
  await writeJson(store, prefix + REPORT_FILES.summary, summaryOf(run, done, failed, failure)).catch(
    () => {},
  );
  return new ReportFailedError(failure, { cause: cause ?? new Error(failure.message) });
}

const ASSEMBLY_FAILURE: Failure = {
  code: 'INTERNAL',
  message: 'internal error: the report files could not be assembled',
};

/**
 * Removes the run's scratch, progress objects included: whoever ends a run that others watch
 * does it after writing the final status, so a reader never finds neither. Best effort:
 * leftovers only cost storage until the lifecycle rule expires the run.
 */
export async function removeFanoutScratch(store: ComposingStore, prefix: string): Promise<void> {
  try {
    await store.remove(await store.list(fanoutPrefix(prefix)));
  } catch {
    // Nothing to do: the run is complete and published either way.
  }
}
