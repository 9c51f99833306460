/** Mode full: every file of a session, its rows for files.csv and failed_files.csv, and its counts. */
import type { Session } from '../api/schemas';
import { csvRows } from './csv';
import { fileRow } from './rows';
import { walkSessionFiles } from './session-files';
import { readSession, type SessionContext, type SessionOutcome } from './session-outcome';
import { FileCounts } from './tally';

export function readSessionFull(context: SessionContext, session: Session): Promise<SessionOutcome> {
  const id = session.session_id;
  return readSession(context, session, true, async (rows) => {
    let counts = new FileCounts();
    await walkSessionFiles(context, session, {
      onFiles: async (files) => {
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
