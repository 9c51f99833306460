/**
 * changes.csv written whole for a current run whose rows are a stream too (a run folder
 * already written, e.g. by the fan-out's workers, or a benchmark): groups the current rows by
 * session and feeds them to the merge, writing each session's changes as they come.
 */
import { csvHeader, csvRows } from '../csv';
import { CHANGE_COLUMNS, type ChangeRow, changeCells, type FileRecord } from './columns';
import type { ChangesSummary } from './counts';
import { type FileRows, SessionCursor, type SessionFiles } from './file-rows';
import { type Baseline, ChangesMerge, type SessionRef } from './merge';

/** The current run: its sessions in report order and its file rows in the same order. */
export interface CurrentRun {
  sessions: readonly SessionRef[];
  rows: AsyncIterable<readonly FileRecord[] | FileRows>;
}

export interface ChangesOutcome {
  summary: ChangesSummary;
  /** Sessions that vanished during either run, left out of the comparison. */
  uncomparedSessions: string[];
}

/** Writes changes.csv (header and rows, as CSV text) through `write`; returns the counts. */
export async function writeChanges(
  baseline: Baseline,
  current: CurrentRun,
  write: (text: string) => Promise<void>,
): Promise<ChangesOutcome> {
  const merge = new ChangesMerge(baseline);
  const emit = async (rows: ChangeRow[]) => {
    if (rows.length > 0) await write(csvRows(rows.map(changeCells)));
  };
  await write(csvHeader(CHANGE_COLUMNS));
  for await (const { session, files } of sessionsWithRows(current.sessions, current.rows)) {
    await emit(await merge.session(session, files));
  }
  await emit(await merge.finish());
  return { summary: merge.summary(), uncomparedSessions: merge.uncomparedSessions };
}

/** Each session with its rows (one session's at a time); rows out of session order are an error. */
export async function* sessionsWithRows(
  sessions: readonly SessionRef[],
  batches: AsyncIterable<readonly FileRecord[] | FileRows>,
): AsyncGenerator<{ session: SessionRef; files: SessionFiles }> {
  const cursor = new SessionCursor(batches);
  for (const session of sessions) yield { session, files: await cursor.take(session.session_id) };
  const stray = await cursor.peek();
  if (stray !== undefined) throw new Error(`a file row of session ${stray} is out of sessions.csv order`);
}
