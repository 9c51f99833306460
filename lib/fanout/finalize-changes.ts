/**
 * The fan-out's changes.csv: once the batches' parts are assembled into the run's CSVs, the
 * finalizer streams the run folder it just wrote against the baseline (the run latest.json
 * still points at, or one named), as the single-process run does while it walks: same rows,
 * same counts. A baseline that turns out damaged only drops the comparison (summary.json says
 * why); a store that fails writing changes.csv fails the run.
 */
import { type BaselineResult, type ChangesOutcome, openRunFolder, writeChanges } from '../report/changes';
import { REPORT_FILES } from '../report/columns';
import { type PreviousRun, resolveBaseline } from '../report/previous-run';
import { StreamedFile } from '../report/streamed-file';
import type { ReportMode, ReportSummary } from '../report/summary';
import { CSV_CONTENT_TYPE } from '../store/content';
import type { ReportStore } from '../store/store';

type ChangesField = NonNullable<ReportSummary['changes']>;

/** Writes `<prefix>changes.csv` when there is a baseline; returns summary.json `changes`. */
export async function writeFanoutChanges(
  store: ReportStore,
  prefix: string,
  run: { workspace: string; mode: ReportMode },
  previous: PreviousRun,
): Promise<ChangesField> {
  const opened: BaselineResult = await resolveBaseline(previous, store, run.workspace, run.mode);
  if ('unavailable' in opened) return opened;
  const { baseline } = opened;
  const current = await openRunFolder(store, prefix, baseline.scope);
  if ('unavailable' in current) {
    baseline.close?.();
    throw new Error(`the run's own files could not be read back: ${current.unavailable}`);
  }
  const file = new StreamedFile(store, prefix + REPORT_FILES.changes, CSV_CONTENT_TYPE);
  let writeFailed = false;
  const write = (text: string) =>
    file.write(text).catch((error: unknown) => {
      writeFailed = true;
      throw error;
    });
  let outcome: ChangesOutcome;
  try {
    outcome = await writeChanges(baseline, current, write);
  } catch (error) {
    baseline.close?.();
    current.close?.();
    const reason = error instanceof Error ? error : new Error(String(error));
    await file.abort(reason);
    if (writeFailed) throw error;
    return { unavailable: `previous run ${baseline.runId} could not be compared: ${reason.message}` };
  }
  await file.finish();
  return outcome.summary;
}
