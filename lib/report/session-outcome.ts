/** What reading one session produced, waiting for its turn to be written. */
import type { UploadSessionsClient } from '../api';
import { NotFoundError } from '../api';
import type { Session } from '../api/schemas';
import type { RunProgress } from './progress';
import { SpillBuffer } from './spill-buffer';
import type { FileCounts } from './tally';

export interface SessionOutcome {
  session: Session;
  /** Undefined when the session vanished during the run. */
  counts?: FileCounts;
  error?: 'SESSION_NOT_FOUND';
  /** Rows of files.csv (mode full only) and failed_files.csv, in the API's order. */
  rows: { files?: SpillBuffer; failed: SpillBuffer };
}

export interface SessionContext {
  client: UploadSessionsClient;
  workspace: string;
  tmpDir: string;
  progress: RunProgress;
  /** Pages requested ahead within one session. */
  pageWindow: number;
  /**
   * Sends one of the session's requests. `runReport` queues them in report order (see
   * `PriorityGate`); without it, requests are sent at once.
   */
  schedule?: <T>(session: Session, request: () => Promise<T>) => Promise<T>;
  /** Aborted when the run failed: the session's requests give up. */
  signal?: AbortSignal;
  /** Told at once when reading a session failed the run, so the rest of it stops. */
  cancelRun?: (error: unknown) => void;
}

/** How to send the requests of `session`: through `context.schedule` when there is one. */
export function requestSender(context: SessionContext, session: Session) {
  const { schedule } = context;
  return <T>(request: () => Promise<T>): Promise<T> => (schedule ? schedule(session, request) : request());
}

/** `{ signal }` only when there is one (optional properties here are "absent", never `undefined`). */
export function optionalSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

/** Files of a session in the report's order: the API's created_at ascending. */
export const FILE_ORDER = { field: 'created_at', order: 'ASC' } as const;

/**
 * Runs `read` for a session; a 404 for the session's files means it vanished after it was
 * listed: a warning in the report, not a failure of the run.
 */
export async function readSession(
  context: SessionContext,
  session: Session,
  withFiles: boolean,
  read: (rows: SessionOutcome['rows']) => Promise<FileCounts>,
): Promise<SessionOutcome> {
  const rows = {
    files: withFiles ? new SpillBuffer(context.tmpDir) : undefined,
    failed: new SpillBuffer(context.tmpDir),
  };
  try {
    const counts = await read(rows);
    return { session, counts, rows };
  } catch (error) {
    const vanished = error instanceof NotFoundError && error.resource === 'session';
    if (!vanished) context.cancelRun?.(error);
    await disposeRows(rows);
    if (vanished) {
      return { session, error: 'SESSION_NOT_FOUND', rows: { failed: new SpillBuffer(context.tmpDir) } };
    }
    throw error;
  } finally {
    context.progress.sessionsDone++;
  }
}

export async function disposeRows(rows: SessionOutcome['rows']): Promise<void> {
  await Promise.all([rows.files?.dispose(), rows.failed.dispose()]);
}
