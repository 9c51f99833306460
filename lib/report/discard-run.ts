/**
 * What a run that fails after it started writing leaves behind: its summary.json, saying
 * `complete: false` and why, and nothing else. Whatever the failure hit (the API, or the store
 * on any file), files that were already written whole would otherwise sit beside the summary
 * and look like a report. Best effort: the run has failed already, and a store that refuses
 * these writes too cannot be helped from here.
 */
import { writeJson } from '../store/content';
import type { ReportStore } from '../store/store';
import { REPORT_FILES } from './columns';
import type { ReportSummary } from './summary';

/** Files of a run folder that survive a failure: the summary and the run's status. */
export const KEPT_ON_FAILURE: ReadonlySet<string> = new Set([REPORT_FILES.summary, 'status.json']);

/** Writes the incomplete `summary` first (so the run reads as failed at once), then removes the rest. */
export async function discardRun(store: ReportStore, prefix: string, summary: ReportSummary): Promise<void> {
  await writeJson(store, prefix + REPORT_FILES.summary, summary).catch(() => {});
  const listed = await store.list(prefix).catch(() => [] as string[]);
  const known = Object.values(REPORT_FILES).map((name) => prefix + name);
  const doomed = [...new Set([...known, ...listed])].filter(
    (key) => !KEPT_ON_FAILURE.has(key.slice(prefix.length)),
  );
  await store.remove(doomed).catch(() => {});
}
