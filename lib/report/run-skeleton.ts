/**
 * The life of one run, shared by the single-process report and each fan-out batch: a spill
 * folder, the row outputs (files.csv in mode full, failed_files.csv, or their part files), the
 * signal that ends the run's requests once any part fails, then either the outputs finished and
 * the run completed, or the outputs aborted, the failure recorded and a `ReportFailedError`
 * thrown; the spill folder is removed either way.
 */

import { CSV_CONTENT_TYPE } from '../store/content';
import type { ReportStore } from '../store/store';
import type { Cell } from './columns';
import { describeFailure, type Failure, ReportFailedError } from './failure';
import { RunCancellation } from './run-cancellation';
import { openSpillFolder } from './spill-folder';
import { StreamedFile } from './streamed-file';
import type { ReportMode } from './summary';
import type { RowOutputs } from './write-sessions';

/** What the run's walk works with. */
export interface RunScope {
  tmpDir: string;
  outputs: RowOutputs;
  /** Aborted at the run's first failure: every request of the run gives up. */
  signal: AbortSignal;
}

export interface RunSkeleton<T> {
  store: ReportStore;
  mode: ReportMode;
  /** Where the spill folder goes (default: the system's temp folder). */
  tmpDir?: string;
  /** The key of the files.csv or failed_files.csv rows (or of their part files). */
  outputKey(output: 'files' | 'failed_files'): string;
  /** Reads the sessions and writes their rows; returns the rows of sessions.csv. */
  walk(scope: RunScope): Promise<Cell[][]>;
  /** Once the outputs are whole: writes what completes the run, and returns the run's result. */
  complete(sessionRows: Cell[][]): Promise<T>;
  /** Once the outputs are discarded: records why the run failed (errors here are ignored). */
  recordFailure(failure: Failure): Promise<void>;
  /** Stops the run from outside (e.g. it lost its lease): its reason is the run's failure. */
  signal?: AbortSignal;
}

export async function runSkeleton<T>(run: RunSkeleton<T>): Promise<T> {
  const spill = await openSpillFolder(run.tmpDir);
  const open = (output: 'files' | 'failed_files') =>
    new StreamedFile(run.store, run.outputKey(output), CSV_CONTENT_TYPE);
  const outputs: RowOutputs = {
    files: run.mode === 'full' ? open('files') : undefined,
    failed: open('failed_files'),
  };
  const cancellation = new RunCancellation(run.signal);
  try {
    const sessionRows = await run.walk({ tmpDir: spill.path, outputs, signal: cancellation.signal });
    await Promise.all([outputs.files?.finish(), outputs.failed.finish()]);
    // Stopped while the last writes went on: nothing that completes the run is written.
    cancellation.signal.throwIfAborted();
    return await run.complete(sessionRows);
  } catch (thrown) {
    // Nothing of a failed run keeps talking to the API.
    cancellation.fail(thrown);
    const error = cancellation.failureOr(thrown);
    const reason = error instanceof Error ? error : new Error(String(error));
    await Promise.all([outputs.files?.abort(reason), outputs.failed.abort(reason)]);
    const failure = describeFailure(error);
    await run.recordFailure(failure).catch(() => {});
    throw new ReportFailedError(failure, { cause: error });
  } finally {
    cancellation.dispose();
    await spill.dispose();
  }
}
