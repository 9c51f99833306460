/**
 * The fan-out's scratch files, under the run folder, so the lifecycle rule that expires a run expires them too:
 *   <run>/fanout/manifest.json             the batches (the Distributed Map's items)
 *   <run>/fanout/files-00003.csv           batch 3's rows of files.csv (mode full), no header
 *   <run>/fanout/failed_files-00003.csv    ... of failed_files.csv
 *   <run>/fanout/sessions-00003.csv        ... of sessions.csv
 *   <run>/fanout/counts-00003.json         batch 3's totals, written last: its presence means
 *                                          the batch's parts are complete
 *   <run>/fanout/error-00003.json          why batch 3's last attempt failed (error-plan.json: the plan)
 *   <run>/fanout/progress-00003.json       how far batch 3 got, rewritten every few seconds while it
 *                                          runs (progress-plan.json: the plan's part); the run's
 *                                          status adds them up while it runs
 * Batch numbers are zero-padded so the keys list in batch order.
 */
import { REPORT_FILES } from '../report/columns';

/** The part files a batch writes, by the report file they become. */
export const PART_FILES = {
  files: REPORT_FILES.files,
  failed_files: REPORT_FILES.failedFiles,
  sessions: REPORT_FILES.sessions,
} as const;

export type PartName = keyof typeof PART_FILES;

/** The scratch folder of a run folder (`prefix` is '' or ends in '/'). */
export function fanoutPrefix(prefix: string): string {
  return `${prefix}fanout/`;
}

export function manifestKey(prefix: string): string {
  return `${fanoutPrefix(prefix)}manifest.json`;
}

/** `00003`: five digits, more only beyond 99,999 batches. */
export function batchLabel(batch: number): string {
  return String(batch).padStart(5, '0');
}

export function partKey(prefix: string, part: PartName, batch: number): string {
  return `${fanoutPrefix(prefix)}${part}-${batchLabel(batch)}.csv`;
}

export function countsKey(prefix: string, batch: number): string {
  return `${fanoutPrefix(prefix)}counts-${batchLabel(batch)}.json`;
}

/** Where a failed step leaves its failure: a batch number, or 'plan'. */
export function errorKey(prefix: string, step: number | 'plan'): string {
  return `${fanoutPrefix(prefix)}error-${step === 'plan' ? step : batchLabel(step)}.json`;
}

/** Where a step keeps its progress while the run goes on: a batch number, or 'plan'. */
export function progressKey(prefix: string, step: number | 'plan'): string {
  return `${progressPrefix(prefix)}${step === 'plan' ? step : batchLabel(step)}.json`;
}

/** What every progress object's key starts with. */
export function progressPrefix(prefix: string): string {
  return `${fanoutPrefix(prefix)}progress-`;
}
