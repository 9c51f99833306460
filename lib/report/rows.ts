/** Row shapes of the report's CSVs, in the column order of ./columns. */
import type { Session, SessionFile } from '../api/schemas';
import type { Cell } from './columns';
import type { FileCounts } from './tally';

/** A file row of `files.csv` / `failed_files.csv`. */
export function fileRow(sessionId: string, file: SessionFile): Cell[] {
  return [
    sessionId,
    file.file_ingestion_id ?? null,
    file.name,
    file.ingestion_status,
    file.ingestion_status_reason,
  ];
}

/**
 * A row of `sessions.csv`. Without counts (the session vanished), the count cells are empty:
 * unknown is not zero.
 */
export function sessionRow(
  session: Session,
  counts: FileCounts | undefined,
  error: string | undefined,
  stuck: boolean,
): Cell[] {
  const by = counts?.byStatus;
  const named = by ? by.get('PENDING') + by.get('FAILED') + by.get('FINISHED') : 0;
  return [
    session.session_id,
    session.status,
    session.write_mode,
    session.created_at,
    session.expires_at,
    `${session.created_by.given_name} ${session.created_by.family_name}`.trim(),
    session.created_by.user_id,
    counts ? counts.total : null,
    by ? by.get('PENDING') : null,
    by ? by.get('FAILED') : null,
    by ? by.get('FINISHED') : null,
    error ?? null,
    counts ? counts.total - named : null,
    stuck ? 'true' : 'false',
  ];
}
