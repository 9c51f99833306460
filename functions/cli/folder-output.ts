/**
 * A run written to a local folder, which must never mix two runs. The run is built in a
 * staging folder beside it and swapped in whole when it completes (see StagedFolder). When it
 * fails, the folder keeps the previous complete run untouched, plus the failed run's incomplete
 * summary as `failed-<run_id>.summary.json` (replacing the record of an earlier failure), so a
 * `summary.json` in a reused folder always belongs to a complete run. The default output is a
 * fresh folder per run (`./reports/<workspace>/<run_id>/`): there the failed run's record is
 * its own `summary.json`, as in the S3 layout, and the folder holds nothing else.
 */
import { sep } from 'node:path';
import { REPORT_FILES } from '../../lib/report/columns';
import { FolderStore } from '../../lib/store/folder-store';
import { type KeptRecord, StagedFolder } from '../../lib/store/staged-folder';
import type { ComposingStore } from '../../lib/store/store';

export interface FolderOutput {
  dir: string;
  /** A folder made for this run alone (the default), not one reused across runs (`--out`). */
  fresh: boolean;
}

/** The name of a failed run's record in a reused folder. */
export const failedRecordName = (runId: string) => `failed-${runId}.${REPORT_FILES.summary}`;
const FAILED_RECORD = /^failed-.+\.summary\.json$/;

/** Runs `produce` against a store in the staging folder, then puts the result in place. */
export async function writeToFolder<T>(
  output: FolderOutput,
  runId: string,
  produce: (store: ComposingStore) => Promise<T>,
): Promise<T> {
  const staged = await StagedFolder.open(output.dir);
  let result: T;
  try {
    result = await produce(new FolderStore(staged.path));
  } catch (error) {
    // The run's own failure is what the caller must hear about, not a failure to keep its record.
    await staged.abandon(recordOf(output, runId)).catch(() => {});
    throw error;
  }
  await staged.commit();
  return result;
}

/** The folder as the result line shows it. */
export const folderLocation = (output: FolderOutput) =>
  output.dir.endsWith(sep) ? output.dir : output.dir + sep;

function recordOf(output: FolderOutput, runId: string): KeptRecord {
  return output.fresh
    ? { file: REPORT_FILES.summary, as: REPORT_FILES.summary }
    : { file: REPORT_FILES.summary, as: failedRecordName(runId), replaces: FAILED_RECORD };
}
