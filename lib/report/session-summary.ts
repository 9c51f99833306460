/**
 * Mode summary: a session's counts without listing every file.
 * - At most 100 files: the first page has them all (1 request).
 * - At most 200: the second page too (2 requests in all), which is cheaper than the count and
 *   the FAILED listing below (at least 3), and tells every status apart.
 * - More: a PENDING count (`limit=1`, its `total`) and a listing of the FAILED files only;
 *   FINISHED = total - pending - failed. Statuses the vendor may add later are then counted
 *   as FINISHED; only mode full (or a session this small) can tell them apart.
 */
import type { FileQuery } from '../api';
import { MAX_PAGE_LIMIT } from '../api/enums';
import type { Page, Session, SessionFile } from '../api/schemas';
import { csvRows } from './csv';
import { fileRow } from './rows';
import { walkSessionFiles } from './session-files';
import {
  FILE_ORDER,
  optionalSignal,
  readSession,
  requestSender,
  type SessionContext,
  type SessionOutcome,
} from './session-outcome';
import { FileCounts } from './tally';

type ListFiles = (query: FileQuery) => Promise<Page<SessionFile>>;
type Rows = SessionOutcome['rows'];

export function readSessionSummary(context: SessionContext, session: Session): Promise<SessionOutcome> {
  const { client, workspace } = context;
  const id = session.session_id;
  const send = requestSender(context, session);
  const cancel = optionalSignal(context.signal);
  const list: ListFiles = (query) => send(() => client.listSessionFiles(workspace, id, query, cancel));
  return readSession(context, session, false, async (rows) => {
    const first = await list({ limit: MAX_PAGE_LIMIT, ...FILE_ORDER });
    if (first.total <= 2 * MAX_PAGE_LIMIT || !first.has_more)
      return countListing(context, session, first, rows);
    context.progress.filesFetched += first.data.length;
    return countByStatus(context, session, list, first.total, rows);
  });
}

/** Counts every file of the listing that starts with `first` (its consistency checked by the walk). */
async function countListing(
  context: SessionContext,
  session: Session,
  first: Page<SessionFile>,
  rows: Rows,
): Promise<FileCounts> {
  let counts = new FileCounts();
  await walkSessionFiles(context, session, {
    firstPage: first,
    onFiles: async (files) => {
      for (const file of files) counts.addFile(file.ingestion_status, file.ingestion_status_reason);
      await rows.failed.append(csvRows(failedRows(session.session_id, files)));
    },
    onRestart: async () => {
      counts = new FileCounts();
      await rows.failed.reset();
    },
  });
  return counts;
}

/** PENDING by its count, FAILED by listing them, FINISHED as the rest of `total`. */
async function countByStatus(
  context: SessionContext,
  session: Session,
  list: ListFiles,
  total: number,
  rows: Rows,
): Promise<FileCounts> {
  let failed = new FileCounts();
  const [pending, failedWalk] = await Promise.all([
    list({ ingestion_status: 'PENDING', limit: 1 }),
    walkSessionFiles(context, session, {
      status: 'FAILED',
      onFiles: async (files) => {
        for (const file of files) failed.addFile('FAILED', file.ingestion_status_reason);
        await rows.failed.append(csvRows(failedRows(session.session_id, files)));
      },
      onRestart: async () => {
        failed = new FileCounts();
        await rows.failed.reset();
      },
    }),
  ]);
  const counts = new FileCounts();
  counts.addAll(failed);
  counts.byStatus.add('PENDING', pending.total);
  // Never negative, even if files changed state between the requests.
  counts.byStatus.add('FINISHED', Math.max(0, total - pending.total - failedWalk.count));
  return counts;
}

function failedRows(sessionId: string, files: SessionFile[]) {
  return files.filter((file) => file.ingestion_status === 'FAILED').map((file) => fileRow(sessionId, file));
}
