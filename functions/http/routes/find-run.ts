/** A run the caller asked for, or the 404 that says which run is missing. */
import { readRun, type StoredRun } from '../../../lib/report/catalog';
import type { ReportStore } from '../../../lib/store/store';
import { HttpProblem } from '../errors';

/** Reads run `run` (an id or `latest`) of `workspace`; throws 404 RUN_NOT_FOUND when there is none. */
export async function findRun(store: ReportStore, workspace: string, run: string): Promise<StoredRun> {
  const stored = await readRun(store, workspace, run);
  if (stored) return stored;
  throw runNotFound(workspace, run);
}

/** The 404 for run `run` (an id or `latest`) of `workspace`. */
export function runNotFound(workspace: string, run: string): HttpProblem {
  const message =
    run === 'latest'
      ? `workspace "${workspace}" has no complete run yet`
      : `no run "${run}" for workspace "${workspace}"`;
  return new HttpProblem(404, 'RUN_NOT_FOUND', message);
}
