/**
 * The stuck sessions of a run (sessions.csv rows with `stuck` = true), most pending files
 * first, for the dashboard's Stuck panel. Read as the file streams and capped: the page shows
 * the worst few and says how many more there are, whatever the size of the workspace.
 */
import { type SessionRecord, unescapeFormula } from './session-rows';
import { TopList } from './top-list';

/** One stuck session, as the panel shows it. */
export interface StuckSession {
  sessionId: string;
  createdBy: string;
  createdAt: string;
  pending: number;
}

/** The sessions the panel lists, and how many stuck sessions sessions.csv has in all. */
export interface StuckSessions {
  shown: StuckSession[];
  total: number;
}

export const STUCK_SHOWN = 10;

/** Most pending first, then the oldest, then session id: a stable order for the same data. */
const before = (a: StuckSession, b: StuckSession) => {
  if (a.pending !== b.pending) return a.pending > b.pending;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.sessionId < b.sessionId;
};

/** Collects the stuck sessions from sessions.csv rows; a run written before the column has none. */
export function stuckSessionsCollector(limit = STUCK_SHOWN) {
  const top = new TopList<StuckSession>(limit, before);
  return {
    visit: (row: SessionRecord) => {
      if (row.stuck !== 'true') return;
      top.add({
        sessionId: row.session_id ?? '',
        createdBy: unescapeFormula(row.created_by ?? ''),
        createdAt: row.created_at ?? '',
        pending: Number(row.pending) || 0,
      });
    },
    result: (): StuckSessions => ({ shown: top.top, total: top.total }),
  };
}
