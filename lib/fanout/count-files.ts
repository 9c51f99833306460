/**
 * How many files a workspace has, without listing them: one request per session, `limit=1`,
 * whose `total` is the session's number of files. (Any page's `total` counts every matching
 * entry; `limit=1` keeps the answer small. Mode summary counts PENDING files the same way.)
 */
import { NotFoundError, type UploadSessionsClient } from '../api';
import type { Session } from '../api/schemas';
import { forEachInOrder } from '../report/in-order';
import { listAllSessions } from '../report/list-sessions';

/** Count requests in flight at once (the client's own limit still applies). */
const COUNT_WINDOW = 32;

/** The number of files of one session; 0 when it vanished (its worker then reports it as a warning). */
export async function countSessionFiles(
  client: UploadSessionsClient,
  workspace: string,
  session: Session,
  signal?: AbortSignal,
): Promise<number> {
  try {
    const cancel = signal ? { signal } : {};
    return (await client.listSessionFiles(workspace, session.session_id, { limit: 1 }, cancel)).total;
  } catch (error) {
    if (error instanceof NotFoundError && error.resource === 'session') return 0;
    throw error;
  }
}

/** Counts the sessions' files, several at once, handing each count to `consume` in order. */
function eachSessionCount(
  client: UploadSessionsClient,
  workspace: string,
  sessions: readonly Session[],
  consume: (count: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return forEachInOrder(
    sessions,
    COUNT_WINDOW,
    (session) => countSessionFiles(client, workspace, session, signal),
    async (count) => consume(count),
  );
}

/** Each session's number of files, in the order given. */
export async function countFilesOf(
  client: UploadSessionsClient,
  workspace: string,
  sessions: readonly Session[],
  /** Stops the counting: no request after it. */
  signal?: AbortSignal,
): Promise<number[]> {
  const counts: number[] = [];
  await eachSessionCount(client, workspace, sessions, (count) => counts.push(count), signal);
  return counts;
}

/** A workspace's files, counted until `stopAbove` was passed. */
export interface WorkspaceFileCount {
  /** Files counted; the workspace's total when `exact`, else a number above `stopAbove`. */
  files: number;
  exact: boolean;
}

class EnoughCounted extends Error {}

/**
 * Lists the sessions and adds up their files, stopping early once the sum exceeds `stopAbove`
 * (deciding "more than N" does not need the exact total of a huge workspace).
 *
 * @example (await countWorkspaceFiles(client, 'acme', { stopAbove: 200_000 })).files > 200_000
 */
export async function countWorkspaceFiles(
  client: UploadSessionsClient,
  workspace: string,
  options: { stopAbove?: number; pageWindow?: number } = {},
): Promise<WorkspaceFileCount> {
  const sessions = await listAllSessions(client, workspace, options.pageWindow);
  const limit = options.stopAbove ?? Number.POSITIVE_INFINITY;
  let files = 0;
  try {
    await eachSessionCount(client, workspace, sessions, (count) => {
      files += count;
      if (files > limit) throw new EnoughCounted();
    });
  } catch (error) {
    if (error instanceof EnoughCounted) return { files, exact: false };
    throw error;
  }
  return { files, exact: true };
}
