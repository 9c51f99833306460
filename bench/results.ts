/**
 * What one `npm run bench` measured, and helpers the result sections share. The sections
 * (reference-sections, scaling-sections, targets) turn it into markdown: one table per question
 * of the issue, then the targets with whether each holds.
 */
import type { ChangesResult } from './changes-scenario';
import type { SessionSize } from './emulator-process';
import type { ColdStart } from './lambda-cold-start';
import type { ReportChildResult } from './report-child';
import { datasetTotals } from './requests';
import type { Run } from './runs';
import type { ReferenceResult, ScalingResult } from './scenarios';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  quick: boolean;
  reference: ReferenceResult;
  scaling: ScalingResult[];
  /** Each Lambda function's bundle size and import time. */
  lambdas: ColdStart[];
  /** Per-request time of the naive script in the reference run, for extrapolation. */
  naiveMsPerRequest: number;
  /** The comparison with the previous run (changes.csv), CPU-bound (0 ms) and at the reference latency. */
  changes: ChangesResult[];
}

/** Wall time minus the run itself: process start, module loading, exit. */
export const startUp = (run: Run<{ durationMs: number }>) => run.wallMs - run.result.durationMs;

/** Total, PENDING, FAILED and FINISHED as the emulator's dataset has them. */
export function countsExact(
  result: Pick<ReportChildResult, 'files' | 'byStatus'>,
  sessions: SessionSize[],
): boolean {
  const t = datasetTotals(sessions);
  const by = result.byStatus;
  return (
    result.files === t.files &&
    by.PENDING === t.pending &&
    by.FAILED === t.failed &&
    by.FINISHED === t.finished
  );
}
