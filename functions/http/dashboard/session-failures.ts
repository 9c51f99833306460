/**
 * The sessions with the most failed files, read from a run's sessions.csv as it streams (the
 * summary has no per-session counts). Only the top entries are kept, so memory stays flat for
 * workspaces with many sessions.
 */
import type { ReportStore } from '../../../lib/store/store';
import { type SessionRecord, unescapeFormula, visitSessionRows } from './session-rows';
import { TopList } from './top-list';

/** One session's failures, for the per-session chart. */
export interface SessionFailures {
  sessionId: string;
  createdBy: string;
  status: string;
  failed: number;
  totalFiles: number;
}

export const TOP_SESSIONS = 10;

/** Most failures first, then session id. */
const before = (a: SessionFailures, b: SessionFailures) =>
  a.failed !== b.failed ? a.failed > b.failed : a.sessionId < b.sessionId;

/** Collects the `limit` sessions with the most failures from sessions.csv rows. */
export function failingSessionsCollector(limit = TOP_SESSIONS) {
  const top = new TopList<SessionFailures>(limit, before);
  return {
    visit: (row: SessionRecord) => {
      const entry = toEntry(row);
      if (entry.failed > 0) top.add(entry);
    },
    result: () => top.top,
  };
}

/** The `limit` sessions of sessions.csv (store key `key`) with the most failures, most first. */
export async function topFailingSessions(
  store: ReportStore,
  key: string,
  limit = TOP_SESSIONS,
): Promise<SessionFailures[]> {
  const collector = failingSessionsCollector(limit);
  await visitSessionRows(store, key, [collector.visit]);
  return collector.result();
}

function toEntry(row: SessionRecord): SessionFailures {
  return {
    sessionId: row.session_id ?? '',
    createdBy: unescapeFormula(row.created_by ?? ''),
    status: unescapeFormula(row.status ?? ''),
    failed: Number(row.failed) || 0,
    totalFiles: Number(row.total_files) || 0,
  };
}
