/**
 * The `changes` object of summary.json, added up row by row as changes.csv is written: how
 * many files were added, removed or changed status, each transition, and the newly failed
 * files by reason (the number people and alerts ask about each morning).
 *
 * A file is newly failed when it is FAILED now and was not in the baseline's FAILED rows:
 * added already failed, or changed to FAILED. In the failed-only scope that is every `added`
 * row, so the number means the same in both scopes.
 */
import { z } from 'zod';
import { failureReasonObject, NO_REASON, Tally } from '../tally';
import type { ChangeRow, ChangeScope } from './columns';

const counts = z.record(z.string(), z.number());

export const ChangesSummary = z.object({
  previous_run_id: z.string(),
  scope: z.enum(['all', 'failed_only']),
  added: z.number(),
  removed: z.number(),
  status_changed: z.number(),
  transitions: counts,
  newly_failed_by_reason: counts,
  /** Sessions that vanished during either run: their files could not be compared. Absent when none. */
  uncompared_sessions: z.array(z.string()).optional(),
});
export type ChangesSummary = z.infer<typeof ChangesSummary>;

export class ChangeCounts {
  private readonly kinds = new Tally();
  private readonly transitions = new Tally();
  private readonly newlyFailed = new Tally();

  add(row: ChangeRow): void {
    this.kinds.add(row.change);
    if (row.change === 'status_changed') this.transitions.add(`${row.previous_status}->${row.status}`);
    if (row.status === 'FAILED' && row.previous_status !== 'FAILED')
      this.newlyFailed.add(row.reason ?? NO_REASON);
  }

  /** The summary.json object; transitions that did not occur are left out. */
  toSummary(previousRunId: string, scope: ChangeScope): ChangesSummary {
    return {
      previous_run_id: previousRunId,
      scope,
      added: this.kinds.get('added'),
      removed: this.kinds.get('removed'),
      status_changed: this.kinds.get('status_changed'),
      transitions: this.transitions.toObject([]),
      newly_failed_by_reason: failureReasonObject(this.newlyFailed),
    };
  }
}
