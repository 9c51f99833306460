/**
 * The seam between the nightly run and whatever reports on one workspace: `in-process`
 * (publishReport inside this Lambda) or `step-functions` (the fan-out state machine, started
 * for workspaces whose total files exceed FANOUT_THRESHOLD_FILES; see choose-runner.ts).
 */
import type { ReportSummary } from '../../lib/report/summary';

/** Where a workspace's report is produced. */
export type RunnerKind = 'in-process' | 'step-functions';

/** What a runner hands back for a workspace it handled without error. */
export interface WorkspaceReport {
  runner: RunnerKind;
  /** Absent when the runner only hands the work off (a started state machine has no summary yet). */
  summary?: ReportSummary;
  /** The run folder, relative to the report store's root. */
  prefix?: string;
  /** Not run, and not a failure: why (another run holds the workspace, or tonight's run is published). */
  skipped?: { code: 'RUN_IN_PROGRESS' | 'ALREADY_PUBLISHED'; message: string };
}

/**
 * Reports on one workspace; throws when it fails (a `ReportFailedError` carries the failure code).
 * `signal` aborts when the invocation must stop (the Lambda deadline).
 */
export type WorkspaceRunner = (workspace: string, signal?: AbortSignal) => Promise<WorkspaceReport>;
