/**
 * A run's status as the API answers it (one run, and the items of the run list): status.json
 * and summary.json read from the store, with links. Files are linked once the run has ended:
 * every file of a complete run, only summary.json of a failed one.
 */

import { REPORT_FILES } from '../../lib/report/columns';
import { readLatest } from '../../lib/report/latest-pointer';
import { runPrefix } from '../../lib/report/layout';
import { reportKeys } from '../../lib/report/publish';
import { isRunId } from '../../lib/report/run-id';
import { fromSummary, type RunStatus, readRunStatus } from '../../lib/report/run-status';
import { ReportSummary } from '../../lib/report/summary';
import type { ReportStore } from '../../lib/store/store';
import { paths, runLinks } from './links';
import type { RunStatusResponse } from './run-status-responses';

/** Run `run` (an ID, or `latest`: the latest complete run) of `workspace`; undefined if none. */
export async function findRunStatus(
  store: ReportStore,
  workspace: string,
  run: string,
): Promise<RunStatus | undefined> {
  const runId = run === 'latest' ? (await readLatest(store, workspace))?.run_id : run;
  if (!runId || !isRunId(runId)) return undefined;
  const prefix = runPrefix(workspace, runId);
  const status = await readRunStatus(store, workspace, runId, prefix);
  if (run !== 'latest' || status?.status !== 'running') return status;
  // latest.json moved just before the run wrote its last status: its summary is complete.
  const summary = await store.read(prefix + REPORT_FILES.summary);
  return summary ? fromSummary(ReportSummary.parse(JSON.parse(summary.body)), status) : status;
}

export async function runStatusBody(
  store: ReportStore,
  origin: string,
  status: RunStatus,
): Promise<RunStatusResponse> {
  const ref = { workspace: status.workspace, runId: status.run_id };
  const prefix = runPrefix(status.workspace, status.run_id);
  const keys = status.summary?.complete
    ? reportKeys(prefix, status.summary)
    : status.summary
      ? { 'summary.json': `${prefix}summary.json` }
      : undefined;
  const links = keys
    ? await runLinks(store, origin, ref, keys)
    : { self: origin + paths.run(ref), dashboard: origin + paths.dashboard(ref.workspace) };
  return { ...status, links };
}
