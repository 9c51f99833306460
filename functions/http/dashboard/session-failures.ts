/**
 * The sessions with the most failed files, read from a run's sessions.csv as it streams (the
 * summary has no per-session counts). Only the top entries are kept, so memory stays flat for
 * workspaces with many sessions.
 */
import { csvRowBatches } from '../../../lib/report/csv-stream';
import type { ReportStore } from '../../../lib/store/store';

/** One session's failures, for the per-session chart. */
export interface SessionFailures {
  sessionId: string;
  createdBy: string;
  status: string;
  failed: number;
  totalFiles: number;
}

export const TOP_SESSIONS = 10;

/** The `limit` sessions of sessions.csv (store key `key`) with the most failures, most first. */
export async function topFailingSessions(
  store: ReportStore,
  key: string,
  limit = TOP_SESSIONS,
): Promise<SessionFailures[]> {
  const body = await store.readStream(key);
  if (!body) return [];
  const top: SessionFailures[] = [];
  let header: string[] | undefined;
  // Decoded as one stream: a name whose UTF-8 bytes straddle two chunks stays whole.
  for await (const batch of csvRowBatches(body)) {
    for (const cells of batch) {
      if (!header) {
        header = cells;
        continue;
      }
      const entry = toEntry(Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
      if (entry.failed > 0) keepTop(top, entry, limit);
    }
  }
  return top;
}

function toEntry(row: Record<string, string>): SessionFailures {
  return {
    sessionId: row.session_id ?? '',
    createdBy: unescapeFormula(row.created_by ?? ''),
    status: unescapeFormula(row.status ?? ''),
    failed: Number(row.failed) || 0,
    totalFiles: Number(row.total_files) || 0,
  };
}

/** Inserts `entry` in order (most failures first, then session id) and drops what falls past `limit`. */
function keepTop(top: SessionFailures[], entry: SessionFailures, limit: number): void {
  const before = (a: SessionFailures, b: SessionFailures) =>
    a.failed !== b.failed ? a.failed > b.failed : a.sessionId < b.sessionId;
  const index = top.findIndex((other) => before(entry, other));
  if (index === -1) {
    if (top.length < limit) top.push(entry);
    return;
  }
  top.splice(index, 0, entry);
  if (top.length > limit) top.pop();
}

/** The CSV prefixes formula-like text with `'` for spreadsheets; a web page shows the name as given. */
function unescapeFormula(text: string): string {
  return /^'[=+\-@\t\r\0]/.test(text) ? text.slice(1) : text;
}
