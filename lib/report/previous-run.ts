/**
 * Which earlier run a report compares itself with (changes.csv): by default the run the
 * workspace's latest.json pointed at before this run, in the run's own store; or a run folder
 * named explicitly (the CLI's --previous); or none. Resolved to an open baseline, or to the
 * one line summary.json gives for why there is no comparison.
 */
import type { ReportStore } from '../store/store';
import { type BaselineResult, latestRunPrefix, openBaseline, readBaselineSummary } from './changes';
import { REPORT_FILES } from './columns';
import type { ReportMode } from './summary';

export type PreviousRun =
  /** What latest.json of the run's own store pointed at before the run (the default). */
  | { kind: 'latest' }
  /** No comparison; `reason` is what summary.json says (default: it was turned off). */
  | { kind: 'none'; reason?: string }
  /** The complete run folder `prefix` ('' or ending in '/') of `store`. */
  | { kind: 'folder'; store: ReportStore; prefix: string };

export const LATEST_RUN: PreviousRun = { kind: 'latest' };

/** The baseline of a run of `workspace` in `mode` writing to `store`, or why there is none. */
export async function resolveBaseline(
  previous: PreviousRun,
  store: ReportStore,
  workspace: string,
  mode: ReportMode,
): Promise<BaselineResult> {
  if (previous.kind === 'none') {
    return { unavailable: previous.reason ?? 'the comparison with a previous run was turned off' };
  }
  try {
    if (previous.kind === 'folder')
      return await openBaseline(previous.store, previous.prefix, mode, workspace);
    const prefix = await latestRunPrefix(store, workspace);
    if (prefix === undefined) {
      return { unavailable: `no previous complete run of workspace "${workspace}" in ${store.location}` };
    }
    return await openBaseline(store, prefix, mode, workspace);
  } catch (error) {
    // The report itself does not depend on the previous run: it goes on without the comparison.
    const reason = error instanceof Error ? error.message : String(error);
    return { unavailable: `the previous run could not be read: ${reason}` };
  }
}

/**
 * Why the folder `prefix` of `store` cannot be a baseline for `workspace` (not a complete run
 * of it, or files missing), or undefined when it can. Reads no file row: a check made before a
 * run starts, so a mistaken --previous costs no API request.
 */
export async function previousRunProblem(
  store: ReportStore,
  prefix: string,
  workspace: string,
): Promise<string | undefined> {
  const checked = await readBaselineSummary(store, prefix, workspace);
  if ('unavailable' in checked) return checked.unavailable;
  const keys = new Set(await store.list(prefix));
  const needed: string[] = [REPORT_FILES.sessions, REPORT_FILES.failedFiles];
  if (checked.summary.mode === 'full') needed.push(REPORT_FILES.files);
  const missing = needed.find((name) => !keys.has(prefix + name));
  return missing ? `no ${missing} in ${store.location}${prefix}` : undefined;
}
