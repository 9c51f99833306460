/**
 * The nightly run, free of Lambda types: a report for every workspace, a few workspaces at a
 * time. A workspace that fails is recorded and the others go on; what a failure means for the
 * invocation is the caller's decision (the Lambda handler throws at the end).
 */
import { describeFailure, type Failure, ReportFailedError } from '../../lib/report/failure';
import { assertWorkspaceName } from '../../lib/report/workspace-name';
import type { WorkspaceReport, WorkspaceRunner } from './workspace-runner';

/** Workspaces reported at the same time unless told otherwise. */
export const DEFAULT_WORKSPACE_CONCURRENCY = 2;

/** The failure of a workspace that was not started (or was stopped) because time ran out. */
export const DEADLINE_FAILURE: Failure = {
  code: 'DEADLINE',
  message: 'stopped before the Lambda timeout; the workspace is reported on the next run',
};

/** The outcome of one workspace. */
export type WorkspaceResult =
  | ({ workspace: string; ok: true; durationMs: number } & WorkspaceReport)
  | {
      workspace: string;
      ok: false;
      failure: Failure;
      durationMs: number;
      /** The error thrown, for the logs only: never returned to a caller. */
      cause?: unknown;
    };

export interface RunNightlyOptions {
  workspaces: readonly string[];
  /** Workspaces in parallel (default 2): each one already runs many API requests at once. */
  concurrency?: number;
  runWorkspace: WorkspaceRunner;
  /** Once aborted, workspaces not yet started are not started, and running ones are told to stop. */
  signal?: AbortSignal;
}

/**
 * Runs every workspace (at most `concurrency` at once) and returns one result per workspace,
 * in the order given. Never throws for a workspace's failure; throws a RangeError for bad
 * options and an `InvalidWorkspaceError` for a bad name, before anything runs.
 *
 * @example
 * const results = await runNightly({ workspaces: ['acme', 'beta'], runWorkspace: inProcessRunner(deps) });
 */
export async function runNightly(options: RunNightlyOptions): Promise<WorkspaceResult[]> {
  const concurrency = options.concurrency ?? DEFAULT_WORKSPACE_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`invalid workspace concurrency ${concurrency}: expected an integer >= 1`);
  }
  const workspaces = options.workspaces.map(assertWorkspaceName);
  const results: WorkspaceResult[] = new Array(workspaces.length);
  let next = 0;
  const lane = async () => {
    while (next < workspaces.length) {
      const index = next++;
      results[index] = await runOne(workspaces[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, workspaces.length) }, lane));
  return results;
}

async function runOne(workspace: string, options: RunNightlyOptions): Promise<WorkspaceResult> {
  const { signal } = options;
  if (signal?.aborted) return { workspace, ok: false, failure: DEADLINE_FAILURE, durationMs: 0 };
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const report = await options.runWorkspace(workspace, signal);
    return { ...report, workspace, ok: true, durationMs: elapsed() };
  } catch (error) {
    return { workspace, ok: false, failure: failureOf(error, signal), durationMs: elapsed(), cause: error };
  }
}

function failureOf(error: unknown, signal: AbortSignal | undefined): Failure {
  // An aborted run fails with whatever the abort broke first; the reason that matters is the deadline.
  if (signal?.aborted) return DEADLINE_FAILURE;
  return error instanceof ReportFailedError ? error.failure : describeFailure(error);
}
