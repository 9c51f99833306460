/**
 * Stuck sessions: a session is stuck when it still has pending files and was created more
 * than `afterHours` before the run started. Decided per session (the `stuck` column of
 * sessions.csv) and added up for summary.json `stuck`. Pure: the run's start is passed in,
 * so the same data and start always give the same answer.
 */
import { z } from 'zod';

export const DEFAULT_STUCK_AFTER_HOURS = 24;

export const StuckSummary = z.object({
  after_hours: z.number(),
  sessions: z.number(),
  pending_files: z.number(),
});
export type StuckSummary = z.infer<typeof StuckSummary>;

/** What deciding needs of a session: its creation time and pending count (null: unknown, it vanished). */
export interface StuckInput {
  created_at: string;
  pending: number | null;
}

/** True when the session has pending files and is older than `afterHours` at `runStartedAt` (ms since the epoch). */
export function isStuck(
  session: StuckInput,
  runStartedAt: number,
  afterHours = DEFAULT_STUCK_AFTER_HOURS,
): boolean {
  if (!session.pending || session.pending <= 0) return false;
  const created = Date.parse(session.created_at);
  if (Number.isNaN(created)) return false;
  return runStartedAt - created > afterHours * 3_600_000;
}

/** Adds up the stuck sessions of a run, session by session. */
export class StuckTally {
  private sessions = 0;
  private pendingFiles = 0;

  constructor(
    private readonly runStartedAt: number,
    private readonly afterHours = DEFAULT_STUCK_AFTER_HOURS,
  ) {}

  /** Decides `session` (for its sessions.csv cell) and counts it when stuck. */
  add(session: StuckInput): boolean {
    const stuck = isStuck(session, this.runStartedAt, this.afterHours);
    if (stuck) {
      this.sessions++;
      this.pendingFiles += session.pending ?? 0;
    }
    return stuck;
  }

  toSummary(): StuckSummary {
    return { after_hours: this.afterHours, sessions: this.sessions, pending_files: this.pendingFiles };
  }
}
