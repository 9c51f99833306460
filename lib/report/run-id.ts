/**
 * Run IDs sort by time (then by a random suffix, so reruns in the same millisecond differ):
 * `20261123T070630123Z-4f9c2a`. They appear in S3 keys and URLs, so they are validated
 * wherever they come in from outside.
 */
import { randomBytes } from 'node:crypto';

export const RUN_ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

/** The run's UTC day, `YYYY-MM-DD`, from its ID. */
export function runDate(runId: string): string {
  return `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}`;
}
