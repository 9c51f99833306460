/**
 * The run function: one report run that the HTTP function started and handed over (an
 * asynchronous invoke), so that it is not bound by the HTTP request's life. It adopts the lease
 * the HTTP function took under the same run ID and writes the run's status as it goes. A failed
 * report is recorded in the run folder, not thrown: a Lambda retry would only repeat it.
 */
import { z } from 'zod';
import type { UploadSessionsClient } from '../../lib/api';
import { claimRun, RunInProgressError } from '../../lib/report/leased-run';
import type { ReportSettings } from '../../lib/report/publish';
import { isRunId } from '../../lib/report/run-id';
import { REPORT_MODES } from '../../lib/report/summary';
import { assertWorkspaceName } from '../../lib/report/workspace-name';
import type { ReportStore } from '../../lib/store/store';

export const RunEvent = z.object({
  workspace: z.string().refine((name) => {
    try {
      assertWorkspaceName(name);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid workspace name'),
  mode: z.enum(REPORT_MODES),
  run_id: z.string().refine(isRunId, 'not a run ID'),
});
export type RunEvent = z.infer<typeof RunEvent>;

export interface RunHandlerDeps {
  store: ReportStore;
  createClient(): Promise<UploadSessionsClient>;
  logger: { info(message: string, fields?: object): void; error(message: string, fields?: object): void };
  leaseTtlMs?: number;
  /** The report's settings (STUCK_AFTER_HOURS). */
  settings?: ReportSettings;
}

export type RunOutcome = { run_id: string; status: 'complete' | 'failed' | 'skipped' };

export function createRunHandler(deps: () => RunHandlerDeps) {
  return async (input: unknown): Promise<RunOutcome> => {
    const parsed = RunEvent.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`invalid run event: ${issue.path.join('.') || 'event'}: ${issue.message}`);
    }
    const event = parsed.data;
    const { store, createClient, logger, leaseTtlMs, settings } = deps();
    const fields = { workspace: event.workspace, run_id: event.run_id, mode: event.mode };
    let claimed: Awaited<ReturnType<typeof claimRun>>;
    try {
      claimed = await claimRun({
        store,
        workspace: event.workspace,
        mode: event.mode,
        runId: event.run_id,
        leaseTtlMs,
        settings,
      });
    } catch (error) {
      if (!(error instanceof RunInProgressError)) throw error;
      // Its lease expired before this started and another run took the workspace.
      logger.info('run skipped: another run of the workspace is in progress', {
        ...fields,
        other_run: error.runId,
      });
      return { run_id: event.run_id, status: 'skipped' };
    }
    try {
      const published = await claimed.run(await createClient());
      logger.info('report published', {
        ...fields,
        latest: published.latest,
        api_requests: published.summary.api_requests,
      });
      return { run_id: event.run_id, status: 'complete' };
    } catch (error) {
      logger.error('report run failed', { ...fields, error });
      return { run_id: event.run_id, status: 'failed' };
    }
  };
}
