/**
 * What an invocation ends with: a short summary when every workspace succeeded, or an error
 * naming each failed workspace and its failure code, thrown so that the function's Errors
 * alarm fires (and, for callers that retry, the retry and dead-letter queue apply).
 */
import type { WorkspaceResult } from './run-nightly';
import type { RunnerKind } from './workspace-runner';

/** One workspace in the invocation's result: counts only, nothing secret, no raw errors. */
export interface WorkspaceLine {
  workspace: string;
  ok: boolean;
  durationMs: number;
  runner?: RunnerKind;
  runId?: string;
  prefix?: string;
  sessions?: number;
  files?: number;
  failedFiles?: number;
  failure?: { code: string; message: string };
}

/** The handler's return value. */
export interface NightlyRunSummary {
  succeeded: number;
  failed: number;
  workspaces: WorkspaceLine[];
}

export function summarizeRun(results: readonly WorkspaceResult[]): NightlyRunSummary {
  const workspaces = results.map(lineOf);
  const succeeded = workspaces.filter((line) => line.ok).length;
  return { succeeded, failed: workspaces.length - succeeded, workspaces };
}

function lineOf(result: WorkspaceResult): WorkspaceLine {
  const { workspace, durationMs } = result;
  if (!result.ok) return { workspace, ok: false, durationMs, failure: result.failure };
  const { summary } = result;
  return {
    workspace,
    ok: true,
    durationMs,
    runner: result.runner,
    runId: summary?.run_id,
    prefix: result.prefix,
    sessions: summary?.sessions.total,
    files: summary?.files.total,
    failedFiles: summary ? (summary.files.by_ingestion_status.FAILED ?? 0) : undefined,
  };
}

/** At least one workspace failed; `summary` has every workspace's line. */
export class NightlyRunFailedError extends Error {
  override name = 'NightlyRunFailedError';
  readonly summary: NightlyRunSummary;

  constructor(summary: NightlyRunSummary) {
    const failed = summary.workspaces.filter((line) => !line.ok);
    const list = failed.map((line) => `${line.workspace} (${line.failure?.code})`).join(', ');
    super(`nightly run failed for ${failed.length} of ${summary.workspaces.length} workspaces: ${list}`);
    this.summary = summary;
  }
}
