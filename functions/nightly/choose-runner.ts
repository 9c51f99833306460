/**
 * Which runner reports on a workspace (issue 7, "Choosing"): in-process below a threshold of
 * total files, the Step Functions fan-out above it. Only the in-process runner exists today,
 * so every workspace runs in-process; the threshold is read and checked already so that the
 * deployed configuration is validated before the fan-out runner lands.
 */
import type { RunnerKind, WorkspaceRunner } from './workspace-runner';

/** What the choice depends on. */
export interface RunnerPolicy {
  /** FANOUT_THRESHOLD_FILES: a workspace with more files than this goes to Step Functions. */
  fanoutThresholdFiles: number | undefined;
}

/** Picks the runner for a workspace. */
export type RunnerChooser = (workspace: string) => Promise<RunnerKind>;

/**
 * Today: always 'in-process'.
 * Issue 7 plugs in here: count the workspace's files from the sessions' summary counts and
 * return 'step-functions' when the count exceeds `policy.fanoutThresholdFiles`.
 */
export function chooseRunner(_policy: RunnerPolicy): RunnerChooser {
  return async () => 'in-process';
}

/** The runner of each kind this deployment has; a kind without one fails the workspace clearly. */
export type Runners = Partial<Record<RunnerKind, WorkspaceRunner>>;

/** Thrown when the chosen kind of runner is not available in this deployment. */
export class RunnerUnavailableError extends Error {
  override name = 'RunnerUnavailableError';
}

/**
 * One `WorkspaceRunner` that asks `choose` per workspace and delegates to that kind's runner.
 *
 * @example
 * const runWorkspace = dispatchRunners(chooseRunner(policy), { 'in-process': inProcessRunner(deps) });
 */
export function dispatchRunners(choose: RunnerChooser, runners: Runners): WorkspaceRunner {
  return async (workspace, signal) => {
    const kind = await choose(workspace);
    const runner = runners[kind];
    if (!runner) {
      throw new RunnerUnavailableError(
        `workspace "${workspace}" needs the ${kind} runner, which is not configured`,
      );
    }
    return runner(workspace, signal);
  };
}
