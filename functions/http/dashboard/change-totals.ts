/** Totals the pages read off summary.json `changes`: the newly failed files and the files that finished. */
import type { ChangesSummary } from '../../../lib/report/changes/counts';

/** Files that failed since the previous run, whatever they were before (every reason added up). */
export function newlyFailed(changes: ChangesSummary): number {
  return Object.values(changes.newly_failed_by_reason).reduce((sum, n) => sum + n, 0);
}

/** Files whose status changed to FINISHED since the previous run. */
export function finished(changes: ChangesSummary): number {
  return Object.entries(changes.transitions)
    .filter(([transition]) => transition.endsWith('->FINISHED'))
    .reduce((sum, [, n]) => sum + n, 0);
}
