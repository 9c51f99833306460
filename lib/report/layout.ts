/**
 * Where runs live in a report store, by workspace then day, so a listing by date is a prefix:
 *   <workspace>/<YYYY-MM-DD>/<run_id>/{summary.json,sessions.csv,files.csv,failed_files.csv}
 *   <workspace>/latest.json   (a pointer to the newest complete run, written last)
 * The store itself adds the bucket prefix (REPORT_PREFIX). Names are checked here too, so no
 * caller can build a key from an unchecked workspace name or run ID.
 */
import { isRunId, runDate } from './run-id';
import { assertWorkspaceName } from './workspace-name';

export class InvalidRunIdError extends Error {
  override name = 'InvalidRunIdError';
}

export function runPrefix(workspace: string, runId: string): string {
  assertWorkspaceName(workspace);
  if (!isRunId(runId))
    throw new InvalidRunIdError('invalid run ID: expected e.g. 20261123T070630123Z-4f9c2a');
  return `${workspace}/${runDate(runId)}/${runId}/`;
}

export function latestKey(workspace: string): string {
  return `${assertWorkspaceName(workspace)}/latest.json`;
}

/** The run ID of a key `<workspace>/<date>/<run_id>/summary.json`, or undefined. */
export function runIdOfSummaryKey(workspace: string, key: string): string | undefined {
  const match = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/summary\.json$/.exec(key);
  return match && match[1] === workspace ? match[3] : undefined;
}
