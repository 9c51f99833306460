/**
 * Where runs live in a report store (design, "Report contents"):
 *   <workspace>/<YYYY-MM-DD>/<run_id>/{summary.json,sessions.csv,files.csv,failed_files.csv}
 *   <workspace>/latest.json   (a pointer to the newest complete run, written last)
 * The store itself adds the bucket prefix (REPORT_PREFIX).
 */
import { runDate } from './run-id';

export function runPrefix(workspace: string, runId: string): string {
  return `${workspace}/${runDate(runId)}/${runId}/`;
}

export function latestKey(workspace: string): string {
  return `${workspace}/latest.json`;
}

/** The run ID of a key `<workspace>/<date>/<run_id>/summary.json`, or undefined. */
export function runIdOfSummaryKey(workspace: string, key: string): string | undefined {
  const match = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/summary\.json$/.exec(key);
  return match && match[1] === workspace ? match[3] : undefined;
}
