/**
 * Walking one session's files in the report's order (created_at ascending), through the run's
 * request scheduling and cancellation: the one walk the full and summary readers share.
 */
import { type WalkResult, walkListing } from '../api';
import type { Page, Session, SessionFile } from '../api/schemas';
import { FILE_ORDER, optionalSignal, requestSender, type SessionContext } from './session-outcome';

export interface SessionFilesWalk {
  /** Only the files of this status (mode summary lists the FAILED ones only). */
  status?: 'FAILED';
  /** The first page, already fetched in the same order (limit 100, no filter). */
  firstPage?: Page<SessionFile>;
  /** Files in order, deduplicated, a page at a time. */
  onFiles(files: SessionFile[]): Promise<void>;
  /** Forget every file given so far: the walk starts again. */
  onRestart(): Promise<void>;
}

export function walkSessionFiles(
  context: SessionContext,
  session: Session,
  walk: SessionFilesWalk,
): Promise<WalkResult> {
  const { client, workspace, progress } = context;
  const send = requestSender(context, session);
  const cancel = optionalSignal(context.signal);
  const filter = walk.status ? { ingestion_status: walk.status } : {};
  return walkListing<SessionFile>({
    fetchPage: (query) =>
      send(() =>
        client.listSessionFiles(
          workspace,
          session.session_id,
          { ...query, ...FILE_ORDER, ...filter },
          cancel,
        ),
      ),
    idOf: (file) => file.file_ingestion_id,
    window: context.pageWindow,
    onEntries: async (files) => {
      progress.filesFetched += files.length;
      await walk.onFiles(files);
    },
    onRestart: walk.onRestart,
    ...(walk.firstPage ? { firstPage: walk.firstPage } : {}),
  });
}
