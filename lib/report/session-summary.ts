/**
 * Mode summary: a session's counts without listing every file (design, "Modes").
 * - At most 100 files: the first page has them all (1 request).
 * - More: a PENDING count (`limit=1`, its `total`) and a listing of the FAILED files only;
 *   FINISHED = total - pending - failed. Statuses the vendor may add later are then counted
 *   as FINISHED; only mode full can tell them apart.
 */
import type { Session, SessionFile } from '../api/schemas';
import { csvRows } from './csv';
import { fileRow } from './rows';
import { FILE_ORDER, readSession, type SessionContext, type SessionOutcome } from './session-outcome';
import { FileCounts } from './tally';
import { walkAll } from './walk';

export function readSessionSummary(context: SessionContext, session: Session): Promise<SessionOutcome> {
  const { client, workspace, progress } = context;
  const id = session.session_id;
  return readSession(context, session, false, async (rows) => {
    const first = await client.listSessionFiles(workspace, id, { limit: 100, ...FILE_ORDER });
    progress.filesFetched += first.data.length;
    const counts = new FileCounts();
    if (!first.has_more) {
      for (const file of first.data) counts.addFile(file.ingestion_status, file.ingestion_status_reason);
      await rows.failed.append(csvRows(failedRows(id, first.data)));
      return counts;
    }
    let failed = new FileCounts();
    const [pending, failedWalk] = await Promise.all([
      client.listSessionFiles(workspace, id, { ingestion_status: 'PENDING', limit: 1 }),
      walkAll<SessionFile>({
        fetchPage: (query) =>
          client.listSessionFiles(workspace, id, { ...query, ...FILE_ORDER, ingestion_status: 'FAILED' }),
        idOf: (file) => file.file_ingestion_id,
        window: context.pageWindow,
        onEntries: async (files) => {
          progress.filesFetched += files.length;
          for (const file of files) failed.addFile('FAILED', file.ingestion_status_reason);
          await rows.failed.append(csvRows(failedRows(id, files)));
        },
        onRestart: async () => {
          failed = new FileCounts();
          await rows.failed.reset();
        },
      }),
    ]);
    counts.addAll(failed);
    counts.byStatus.add('PENDING', pending.total);
    // Never negative, even if files changed state between the three requests.
    counts.byStatus.add('FINISHED', Math.max(0, first.total - pending.total - failedWalk.count));
    return counts;
  });
}

function failedRows(sessionId: string, files: SessionFile[]) {
  return files.filter((file) => file.ingestion_status === 'FAILED').map((file) => fileRow(sessionId, file));
}
