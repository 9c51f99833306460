/**
 * Merges the baseline run's file rows (a stream) with the current run's, session by session,
 * into changes.csv rows, holding one session's rows of each side at a time.
 *
 * Both runs write sessions by created_at then ID, and files in the API's order. The current
 * run hands its sessions in that order. The baseline's rows come as one stream, grouped by
 * session in the baseline's own session order, and that order must come from the baseline's
 * sessions.csv, not from its rows or from the current run:
 * - sessions appear and disappear between runs, and a session only the baseline had must be
 *   placed among the current ones; its rows carry no created_at, its sessions.csv row does;
 * - a session with no rows (no files, or none FAILED in the failed-only scope) leaves no trace
 *   in the row stream, so only sessions.csv tells "absent then" from "empty then";
 * - sessions.csv says which baseline sessions vanished during that run (error column): their
 *   files are unknown, so they are not compared.
 * A session's created_at is set once by the API, so the two orders agree on shared sessions:
 * a baseline session that sorts before the current one and is not it is gone (its rows become
 * `removed`, in place); one that sorts after it has not been reached yet; a current session
 * with no baseline counterpart is new (all `added`). Sessions hold thousands of entries at
 * most, so the baseline's session list is held in memory like the current run's; file rows
 * never are beyond one session.
 *
 * Sessions that vanished during either run are skipped and listed in `uncomparedSessions`
 * (reporting their files as added or removed would be false).
 */
import { compareInstants } from '../instant';
import type { ChangeRow, ChangeScope, FileRecord } from './columns';
import { ChangeCounts, type ChangesSummary } from './counts';
import { diffSession } from './diff-session';
import { asFileRows, type FileRows, SessionCursor, type SessionFiles } from './file-rows';

/** A session as both runs order it; `error` set when the run could not read its files. */
export interface SessionRef {
  session_id: string;
  created_at: string;
  error?: string | null;
}

/** What the comparison needs of the previous run. */
export interface Baseline {
  runId: string;
  scope: ChangeScope;
  /** Its sessions.csv rows, in file order. */
  sessions: readonly SessionRef[];
  /** Its files.csv rows (scope all) or failed_files.csv rows (failed_only), in file order, in batches. */
  rows: AsyncIterable<readonly FileRecord[] | FileRows>;
  /** Lets go of the rows' source when the merge stops before their end. */
  close?: () => void;
}

/**
 * A current session's rows, or how to read them: read only once the baseline's rows of the
 * session are in (those wait for I/O; rows read before would outlive more collections and be
 * promoted to the old generation, which then grows), and not at all for a session not compared.
 */
export type CurrentFiles = readonly FileRecord[] | FileRows | (() => Promise<FileRows>);

/** The baseline's rows do not follow its sessions.csv: it is damaged, so no comparison. */
export class BaselineOrderError extends Error {
  override name = 'BaselineOrderError';
}

export class ChangesMerge {
  readonly uncomparedSessions: string[] = [];
  private readonly counts = new ChangeCounts();
  private readonly rows: SessionCursor;
  private readonly position: Map<string, number>;
  private next = 0;

  constructor(private readonly baseline: Baseline) {
    this.rows = new SessionCursor(baseline.rows);
    this.position = new Map(baseline.sessions.map((session, index) => [session.session_id, index]));
  }

  /**
   * The change rows up to and including `session` (the next current session in report order):
   * first those of baseline sessions that are gone and stood before it, then its own.
   * `files` are its current rows (all, or FAILED only, as the scope says).
   */
  async session(session: SessionRef, files: CurrentFiles): Promise<ChangeRow[]> {
    const out: ChangeRow[] = [];
    const { sessions } = this.baseline;
    while (this.next < sessions.length && this.isGoneBefore(sessions[this.next]!, session)) {
      await this.removedSession(sessions[this.next++]!, out);
    }
    const counterpart =
      sessions[this.next]?.session_id === session.session_id ? sessions[this.next++] : undefined;
    const before = counterpart ? await this.take(counterpart) : asFileRows([]);
    if (session.error || counterpart?.error) {
      this.uncomparedSessions.push(session.session_id);
      return out;
    }
    return this.counted(out, diffSession(before, typeof files === 'function' ? await files() : files));
  }

  /** The rows of the baseline sessions after the last current one (all gone). Call once, at the end. */
  async finish(): Promise<ChangeRow[]> {
    const out: ChangeRow[] = [];
    const { sessions } = this.baseline;
    while (this.next < sessions.length) await this.removedSession(sessions[this.next++]!, out);
    const stray = await this.rows.peek();
    if (stray) throw this.strayRow(stray);
    return out;
  }

  /** summary.json `changes`, for the rows returned so far. */
  summary(): ChangesSummary {
    const summary = this.counts.toSummary(this.baseline.runId, this.baseline.scope);
    const uncompared = this.uncomparedSessions;
    return uncompared.length > 0 ? { ...summary, uncompared_sessions: [...uncompared] } : summary;
  }

  private isGoneBefore(previous: SessionRef, current: SessionRef): boolean {
    if (previous.session_id === current.session_id) return false;
    const order = compareInstants(previous.created_at, current.created_at);
    return order < 0 || (order === 0 && previous.session_id < current.session_id);
  }

  /** Appends to `out` (no spread: a session may have more rows than a call takes arguments). */
  private async removedSession(session: SessionRef, out: ChangeRow[]): Promise<void> {
    this.counted(out, diffSession(await this.take(session), asFileRows([])));
  }

  private counted(out: ChangeRow[], rows: ChangeRow[]): ChangeRow[] {
    for (const row of rows) {
      this.counts.add(row);
      out.push(row);
    }
    return out;
  }

  /** The baseline rows of `session`, which must be next in the stream (or have none). */
  private async take(session: SessionRef): Promise<SessionFiles> {
    const rows = await this.rows.take(session.session_id);
    const next = await this.rows.peek();
    if (next !== undefined) {
      // The next row must be of a later session of sessions.csv.
      const owner = this.position.get(next);
      if (owner === undefined || owner <= this.position.get(session.session_id)!) throw this.strayRow(next);
    }
    return rows;
  }

  private strayRow(sessionId: string): BaselineOrderError {
    return new BaselineOrderError(
      `previous run ${this.baseline.runId}: a file row of session ${sessionId} is out of its sessions.csv order`,
    );
  }
}
