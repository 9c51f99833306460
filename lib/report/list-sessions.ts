/**
 * Every session of a workspace, in the report's order: created_at ascending, session ID as
 * the tie-break. Sessions are few (thousands), so they are held in memory; files never are.
 */
import { DEFAULT_PAGE_WINDOW, type UploadSessionsClient, walkListing } from '../api';
import type { Session } from '../api/schemas';
import { compareInstants } from './instant';

export async function listAllSessions(
  client: UploadSessionsClient,
  workspace: string,
  pageWindow = DEFAULT_PAGE_WINDOW,
  /** Aborted when the run failed: the listing's requests give up. */
  signal?: AbortSignal,
): Promise<Session[]> {
  const cancel = signal ? { signal } : {};
  let sessions: Session[] = [];
  await walkListing<Session>({
    fetchPage: (query) =>
      client.listSessions(workspace, { ...query, field: 'created_at', order: 'ASC' }, cancel),
    idOf: (session) => session.session_id,
    window: pageWindow,
    onEntries: (page) => {
      sessions.push(...page);
    },
    onRestart: () => {
      sessions = [];
    },
  });
  return sessions.sort(compareSessions);
}

export function compareSessions(a: Session, b: Session): number {
  return compareInstants(a.created_at, b.created_at) || compareIds(a.session_id, b.session_id);
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
