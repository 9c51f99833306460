/**
 * Every run of a workspace, newest first, whatever its state: a run has a summary.json once it
 * ended, and a status.json from its start (runs from before status.json have only the summary).
 */
import type { ReportStore } from '../store/store';
import { isRunId } from './run-id';

const RUN_FILE = /^([^/]+)\/\d{4}-\d{2}-\d{2}\/([^/]+)\/(?:summary|status)\.json$/;

export async function listAllRunIds(store: ReportStore, workspace: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const key of await store.list(`${workspace}/`)) {
    const match = RUN_FILE.exec(key);
    if (match && match[1] === workspace && isRunId(match[2]!)) ids.add(match[2]!);
  }
  return [...ids].sort().reverse();
}
