/**
 * Counting by name. Documented enum values are always present (as 0) so the columns of a
 * dashboard or a query never disappear; values the vendor added later are kept under their
 * own names, never dropped or lumped together.
 */
import { FAILURE_REASONS, INGESTION_STATUSES, SESSION_STATUSES } from '../api/enums';

/** The key under which a FAILED file without a reason is counted. */
export const NO_REASON = 'UNSPECIFIED';

export class Tally {
  private readonly counts = new Map<string, number>();

  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  addAll(other: Tally): void {
    for (const [name, n] of other.counts) this.add(name, n);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** Documented names first (in their documented order), then the others sorted by name. */
  toObject(documented: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of documented) out[name] = this.get(name);
    const others = [...this.counts.keys()].filter((name) => !documented.includes(name)).sort();
    for (const name of others) out[name] = this.get(name);
    return out;
  }
}

/** What one session's files add up to. */
export class FileCounts {
  readonly byStatus = new Tally();
  readonly failedByReason = new Tally();

  addFile(status: string, reason: string | null): void {
    this.byStatus.add(status);
    if (status === 'FAILED') this.failedByReason.add(reason ?? NO_REASON);
  }

  addAll(other: FileCounts): void {
    this.byStatus.addAll(other.byStatus);
    this.failedByReason.addAll(other.failedByReason);
  }

  get total(): number {
    return this.byStatus.total;
  }
}

export const sessionStatusObject = (t: Tally) => t.toObject(SESSION_STATUSES);
export const ingestionStatusObject = (t: Tally) => t.toObject(INGESTION_STATUSES);
export const failureReasonObject = (t: Tally) => t.toObject(FAILURE_REASONS);
