/**
 * `error-<batch>.json` / `error-plan.json`: why a step's last attempt failed. A Distributed Map
 * that gives up reports only "tolerated failure threshold exceeded"; the finalizer reads these
 * to say in summary.json which batch failed and why. The message is one of our own failure
 * lines (`describeFailure`), which never carry the API key.
 */
import { z } from 'zod';
import { FAILURE_CODES } from '../report/failure';
import { writeJson } from '../store/content';
import type { ReportStore } from '../store/store';

export const FailureRecord = z.object({
  code: z.enum(FAILURE_CODES),
  message: z.string(),
  /** Requests the failed attempt sent, so an incomplete summary still counts them. */
  api_requests: z.number().int().nonnegative(),
  api_retries: z.number().int().nonnegative(),
  /** When the step started (epoch ms); the plan's is the run's start. */
  started_at: z.number(),
});
export type FailureRecord = z.infer<typeof FailureRecord>;

/** Best effort: the step fails either way, and a missing record only makes the summary vaguer. */
export async function writeFailureRecord(
  store: ReportStore,
  key: string,
  record: FailureRecord,
): Promise<void> {
  await writeJson(store, key, record).catch(() => {});
}

/** The record at `key`; undefined when absent or unreadable. */
export async function readFailureRecord(store: ReportStore, key: string): Promise<FailureRecord | undefined> {
  try {
    const stored = await store.read(key);
    return stored ? FailureRecord.parse(JSON.parse(stored.body)) : undefined;
  } catch {
    return undefined;
  }
}
