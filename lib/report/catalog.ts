/** Reading published runs back: the list of runs of a workspace, and one run's summary. */
import type { ReportStore } from '../store/store';
import { readLatest } from './latest-pointer';
import { runIdOfSummaryKey, runPrefix } from './layout';
import { reportKeys } from './publish';
import { isRunId } from './run-id';
import { ReportSummary } from './summary';

/** Run IDs of a workspace, newest first (complete or not). */
export async function listRunIds(store: ReportStore, workspace: string): Promise<string[]> {
  const keys = await store.list(`${workspace}/`);
  const ids = keys.map((key) => runIdOfSummaryKey(workspace, key)).filter((id): id is string => !!id);
  return ids.filter(isRunId).sort().reverse();
}

export interface StoredRun {
  runId: string;
  prefix: string;
  summary: ReportSummary;
  /** Store keys of the run's files, by file name (only for files a complete run has). */
  keys: Record<string, string>;
}

/** One run by ID, or the run latest.json points to; undefined when there is none. */
export async function readRun(
  store: ReportStore,
  workspace: string,
  run: string,
): Promise<StoredRun | undefined> {
  const runId = run === 'latest' ? (await readLatest(store, workspace))?.run_id : run;
  if (!runId || !isRunId(runId)) return undefined;
  const prefix = runPrefix(workspace, runId);
  const stored = await store.read(`${prefix}summary.json`);
  if (!stored) return undefined;
  const summary = ReportSummary.parse(JSON.parse(stored.body));
  const keys = summary.complete ? reportKeys(prefix, summary) : { 'summary.json': `${prefix}summary.json` };
  return { runId, prefix, summary, keys };
}
