/**
 * A run written to a local folder, which must never mix two runs. The run is built in a
 * staging folder beside it and swapped in whole when it completes (see StagedFolder). When it
 * fails, the folder keeps the previous complete run untouched, plus the failed run's incomplete
 * summary as `failed-<run_id>.summary.json` (replacing the record of an earlier failure), so a
 * `summary.json` in a reused folder always belongs to a complete run. The default output is a
 * fresh folder per run (`./reports/<workspace>/<run_id>/`): there the failed run's record is
 * its own `summary.json`, as in the S3 layout, and the folder holds nothing else.
 */
import { readdir } from 'node:fs/promises';
import { sep } from 'node:path';
import { REPORT_FILES } from '../../lib/report/columns';
import { FolderStore } from '../../lib/store/folder-store';
import { type KeptRecord, StagedFolder } from '../../lib/store/staged-folder';
import type { ComposingStore } from '../../lib/store/store';
import { ConfigError } from '../shared/config';

export interface FolderOutput {
  dir: string;
  /** A folder made for this run alone (the default), not one reused across runs (`--out`). */
  fresh: boolean;
}

/** The name of a failed run's record in a reused folder. */
export const failedRecordName = (runId: string) => `failed-${runId}.${REPORT_FILES.summary}`;
const FAILED_RECORD = /^failed-.+\.summary\.json$/;
const REPORT_NAMES = new Set<string>(Object.values(REPORT_FILES));
/** The store's hidden temp and lock files. */
const STORE_OWN = /^\..+\.store-(?:tmp|lock)$/;

/** Whether a name in a folder is a report's: a run's file, a failure record, the store's own. */
export const isReportEntry = (name: string) =>
  REPORT_NAMES.has(name) || FAILED_RECORD.test(name) || STORE_OWN.test(name);

/**
 * A reused folder is replaced whole, so it must hold nothing but a report's files: `--out .`
 * in a project folder is refused up front (exit 2) instead of sweeping the project away.
 */
export async function checkReusableFolder(dir: string, source: string): Promise<void> {
  const cwd = process.cwd();
  if (cwd === dir || cwd.startsWith(dir + sep)) {
    throw new ConfigError(
      `${source} ${dir} is the current folder or contains it: name a folder for the report`,
    );
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // Absent (it is created), or not a folder (checkDestination says so).
  }
  const foreign = names.find((name) => !isReportEntry(name));
  if (foreign !== undefined) {
    throw new ConfigError(
      `${source} ${dir} holds ${JSON.stringify(foreign)}, which is not a report's file: use an empty folder or one the report wrote`,
    );
  }
}

/** Runs `produce` against a store in the staging folder, then puts the result in place. */
export async function writeToFolder<T>(
  output: FolderOutput,
  runId: string,
  produce: (store: ComposingStore) => Promise<T>,
): Promise<T> {
  const staged = await StagedFolder.open(output.dir, isReportEntry);
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
