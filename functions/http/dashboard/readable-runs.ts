/**
 * The runs the dashboard can show. A summary.json that no longer parses (cut short, edited by
 * hand) is one bad run, not a broken workspace: it is skipped and reported through `onSkipped`,
 * as the run list does. A store that cannot be read at all is still an error.
 */
import { ZodError } from 'zod';
import { listRunIds, readRun, type StoredRun } from '../../../lib/report/catalog';
import type { ReportStore } from '../../../lib/store/store';

/** Told about each run left out because its summary.json is damaged. */
export type OnSkippedRun = (runId: string, error: unknown) => void;

/** Up to `count` complete, readable runs at or before `untilRunId`, newest first; reads at most 2×count summaries. */
export async function recentCompleteRuns(
  store: ReportStore,
  workspace: string,
  untilRunId: string,
  count: number,
  onSkipped: OnSkippedRun,
): Promise<StoredRun[]> {
  const ids = (await listRunIds(store, workspace)).filter((id) => id <= untilRunId).slice(0, count * 2);
  const runs = await Promise.all(ids.map((id) => readRunOrSkip(store, workspace, id, onSkipped)));
  return runs.filter((run): run is StoredRun => run?.summary.complete === true).slice(0, count);
}

async function readRunOrSkip(
  store: ReportStore,
  workspace: string,
  runId: string,
  onSkipped: OnSkippedRun,
): Promise<StoredRun | undefined> {
  try {
    return await readRun(store, workspace, runId);
  } catch (error) {
    if (!isDamage(error)) throw error;
    onSkipped(runId, error);
    return undefined;
  }
}

/** Not JSON, or JSON that is not a summary. */
function isDamage(error: unknown): boolean {
  return error instanceof SyntaxError || error instanceof ZodError;
}
