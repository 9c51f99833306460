/** Mode full: every file of a session, its rows for files.csv and failed_files.csv, and its counts. */
import type { Session, SessionFile } from '../api/schemas';
import { csvRows } from './csv';
import { fileRow } from './rows';
import {
  FILE_ORDER,
  optionalSignal,
  readSession,
  requestSender,
  type SessionContext,
  type SessionOutcome,
} from './session-outcome';
import { FileCounts } from './tally';
import { walkAll } from './walk';

export function readSessionFull(context: SessionContext, session: Session): Promise<SessionOutcome> {
  const { client, workspace, progress } = context;
  const id = session.session_id;
  const cancel = optionalSignal(context.signal);
  const send = requestSender(context, session);
  return readSession(context, session, true, async (rows) => {
    let counts = new FileCounts();
    await walkAll<SessionFile>({
      fetchPage: (query) =>
        send(() => client.listSessionFiles(workspace, id, { ...query, ...FILE_ORDER }, cancel)),
      idOf: (file) => file.file_ingestion_id,
      window: context.pageWindow,
      onEntries: async (files) => {
        progress.filesFetched += files.length;
        for (const file of files) counts.addFile(file.ingestion_status, file.ingestion_status_reason);
        const all = files.map((file) => fileRow(id, file));
        const failed = files
          .filter((file) => file.ingestion_status === 'FAILED')
          .map((file) => fileRow(id, file));
        await rows.files?.append(csvRows(all));
        await rows.failed.append(csvRows(failed));
      },
      onRestart: async () => {
        counts = new FileCounts();
        await Promise.all([rows.files?.reset(), rows.failed.reset()]);
      },
    });
    return counts;
  });
}
