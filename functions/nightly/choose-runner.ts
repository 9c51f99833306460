/**
 * Which runner reports on a workspace: in-process up to a threshold of
 * total files, the Step Functions fan-out above it. The files are counted from the sessions'
 * file totals (one small request per session, stopping as soon as the count passes the
 * threshold), so deciding costs a fraction of the report itself. The nightly job and the run
 * function (a run started over HTTP) decide the same way, from the same variables.
 */
import { z } from 'zod';
import { UploadSessionsClient } from '../../lib/api';
import { countWorkspaceFiles } from '../../lib/fanout/count-files';
import { optionalText, optionalWholeNumber } from '../shared/config';
import type { RunnerKind, WorkspaceRunner } from './workspace-runner';

/** STATE_MACHINE_ARN (the fan-out workflow) and FANOUT_THRESHOLD_FILES: where a run goes. */
export const WorkflowEnv = z.object({
  STATE_MACHINE_ARN: optionalText.pipe(
    z
      .string()
      .regex(/^arn:aws[a-z-]*:states:/, 'expected a state machine ARN')
      .optional(),
  ),
  FANOUT_THRESHOLD_FILES: optionalWholeNumber,
});

/** What the choice depends on. */
export interface RunnerPolicy {
  /** FANOUT_THRESHOLD_FILES: a workspace with more files than this goes to Step Functions. */
  fanoutThresholdFiles: number | undefined;
}

/** Picks the runner for a workspace. */
export type RunnerChooser = (workspace: string) => Promise<RunnerKind>;

/**
 * Counts a workspace's files; may stop once the count passes `stopAbove` (then any number above
 * it). The nightly handler's counts with `countWorkspaceFiles` (lib/fanout).
 */
export type FileCounter = (workspace: string, stopAbove: number) => Promise<number>;

/** A `FileCounter` that asks the API, with a client of its own per workspace. */
export function apiFileCounter(options: {
  apiUrl: string;
  apiKey: string;
  concurrency: number;
}): FileCounter {
  return clientFileCounter(
    async () =>
      new UploadSessionsClient({
        baseUrl: options.apiUrl,
        apiKey: options.apiKey,
        concurrency: options.concurrency,
      }),
  );
}

/** A `FileCounter` with a fresh client per count (its requests are not the run's). */
export function clientFileCounter(createClient: () => Promise<UploadSessionsClient>): FileCounter {
  return async (workspace, stopAbove) =>
    (await countWorkspaceFiles(await createClient(), workspace, { stopAbove })).files;
}

/**
 * 'step-functions' when the workspace has more files than `policy.fanoutThresholdFiles`, else
 * 'in-process'. Without a threshold or a counter nothing is counted: every workspace runs
 * in-process (a deployment without the workflow, or a local run).
 *
 * @example chooseRunner({ fanoutThresholdFiles: 200_000 }, countFiles)('acme') // 'step-functions'
 */
export function chooseRunner(policy: RunnerPolicy, countFiles?: FileCounter): RunnerChooser {
  return async (workspace) => {
    const threshold = policy.fanoutThresholdFiles;
    if (threshold === undefined || countFiles === undefined) return 'in-process';
    return (await countFiles(workspace, threshold)) > threshold ? 'step-functions' : 'in-process';
  };
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
