/**
 * A run published to a report store, in one of two layouts, decided here and nowhere else:
 * - `dated`: the store holds every run, `<workspace>/<date>/<run_id>/` (./layout): the run
 *   folder first (CSVs, then summary.json), then `latest.json`, only for a complete run. A
 *   failed run leaves latest.json as it was; a run whose latest.json cannot be written failed
 *   too, and its folder keeps only summary.json.
 * - `folder`: the store is this run's own folder: its files at the root, no latest.json (the
 *   CLI's folder output, which swaps the folder in whole).
 */
import type { UploadSessionsClient } from '../api';
import type { ReportStore } from '../store/store';
import { CSV_FILE_NAMES, REPORT_FILES } from './columns';
import { discardRun } from './discard-run';
import { describeFailure, ReportFailedError } from './failure';
import { type AdvanceResult, advanceLatest } from './latest-pointer';
import { runPrefix } from './layout';
import type { PreviousRun } from './previous-run';
import type { RunProgress } from './progress';
import { newRunId } from './run-id';
import { runReport } from './run-report';
import type { ReportMode, ReportSummary } from './summary';

export type RunLayout = 'dated' | 'folder';

/** Where a run goes in its store: its folder ('' for the folder layout), and whether latest.json moves. */
export interface RunPlacement {
  prefix: string;
  publishLatest: boolean;
}

export function placeRun(layout: RunLayout, workspace: string, runId: string): RunPlacement {
  if (layout === 'folder') return { prefix: '', publishLatest: false };
  return { prefix: runPrefix(workspace, runId), publishLatest: true };
}

export interface PublishOptions {
  client: UploadSessionsClient;
  store: ReportStore;
  workspace: string;
  mode: ReportMode;
  runId?: string;
  progress?: RunProgress;
  /** Default `dated`. */
  layout?: RunLayout;
  /** Stops the run (e.g. it lost its lease): no request after it, latest.json not moved. */
  signal?: AbortSignal;
  /** The run changes.csv compares with (default: what latest.json pointed at before this run). */
  previous?: PreviousRun;
  /** A session with pending files older than this at the run's start is stuck (default 24). */
  stuckAfterHours?: number;
}

/** What a caller may set about a run's comparison and stuck threshold (CLI flags, environment). */
export type ReportSettings = Pick<PublishOptions, 'previous' | 'stuckAfterHours'>;

/** A finished run and where it is. */
export interface PlacedRun {
  summary: ReportSummary;
  /** The run folder, relative to the store root. */
  prefix: string;
}

export interface PublishedRun extends PlacedRun {
  /** Store keys of the files written, by file name. */
  keys: Record<string, string>;
  /** What became of latest.json; `not-published` in the folder layout. */
  latest: AdvanceResult | 'not-published';
}

export async function publishReport(options: PublishOptions): Promise<PublishedRun> {
  const runId = options.runId ?? newRunId();
  const { prefix, publishLatest } = placeRun(options.layout ?? 'dated', options.workspace, runId);
  const summary = await runReport({
    client: options.client,
    workspace: options.workspace,
    mode: options.mode,
    runId,
    target: { store: options.store, prefix },
    progress: options.progress,
    signal: options.signal,
    previous: options.previous,
    stuckAfterHours: options.stuckAfterHours,
  });
  const latest = publishLatest
    ? await Promise.resolve()
        // Stopped after its last file: a run that may no longer publish does not.
        .then(() => options.signal?.throwIfAborted())
        .then(() =>
          advanceLatest(options.store, {
            workspace: options.workspace,
            run_id: runId,
            generated_at: summary.generated_at,
            prefix,
          }),
        )
        .catch(async (error: unknown) => {
          // Not published is not complete: the folder is taken back to what any failed run leaves.
          const failure = describeFailure(error);
          await discardRun(options.store, prefix, { ...summary, complete: false, error: failure });
          throw new ReportFailedError(failure, { cause: error });
        })
    : 'not-published';
  return { summary, prefix, keys: reportKeys(prefix, summary), latest };
}

/**
 * The files a complete run wrote, as its summary tells: files.csv only in mode full,
 * changes.csv only when it was compared with a previous run.
 */
export function reportKeys(
  prefix: string,
  summary: Pick<ReportSummary, 'mode' | 'changes'>,
): Record<string, string> {
  const compared = summary.changes !== undefined && !('unavailable' in summary.changes);
  const names = [REPORT_FILES.summary, ...CSV_FILE_NAMES].filter(
    (name) =>
      (summary.mode === 'full' || name !== REPORT_FILES.files) && (compared || name !== REPORT_FILES.changes),
  );
  return Object.fromEntries(names.map((name) => [name, prefix + name]));
}
