/**
 * The request counts the issue sets as targets, computed from the served dataset's sizes
 * (never from our own client's counters).
 */
import type { SessionSize } from './emulator-process';

const PAGE = 100;

/** Full mode's minimum: R = ceil(S/100) + Σ max(1, ceil(F_i/100)). */
export function minimumRequests(sessions: readonly SessionSize[]): number {
  const listing = Math.max(1, Math.ceil(sessions.length / PAGE));
  return listing + sessions.reduce((sum, s) => sum + Math.max(1, Math.ceil(s.files / PAGE)), 0);
}

/**
 * Summary mode's allowance: the session listing, then per session 1 request when F_i <= 100,
 * else 2 + ceil(failed_i/100) (first page, PENDING count, FAILED listing).
 */
export function summaryAllowance(sessions: readonly SessionSize[]): number {
  const listing = Math.max(1, Math.ceil(sessions.length / PAGE));
  return (
    listing + sessions.reduce((sum, s) => sum + (s.files <= PAGE ? 1 : 2 + Math.ceil(s.failed / PAGE)), 0)
  );
}

/** The time bound at a latency and concurrency: max(R·latency/concurrency, 3·latency). */
export function boundMs(requests: number, latencyMs: number, concurrency: number): number {
  return Math.max((requests * latencyMs) / concurrency, 3 * latencyMs);
}

/** Totals of a dataset: files, and files by status (FINISHED = the rest). */
export function datasetTotals(sessions: readonly SessionSize[]) {
  const sum = (pick: (s: SessionSize) => number) => sessions.reduce((total, s) => total + pick(s), 0);
  const files = sum((s) => s.files);
  const failed = sum((s) => s.failed);
  const pending = sum((s) => s.pending);
  return { files, failed, pending, finished: files - failed - pending };
}
