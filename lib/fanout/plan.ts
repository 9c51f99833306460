/**
 * Step 1 of a fan-out run: list the sessions in report order, count each one's files (one small
 * request per session), cut them into batches and write the manifest. What it returns is all
 * the later steps need besides the store: in Step Functions it becomes the state.
 */
import { z } from 'zod';
import type { UploadSessionsClient } from '../api';
import { describeFailure, ReportFailedError } from '../report/failure';
import { listAllSessions } from '../report/list-sessions';
import type { RunProgress } from '../report/progress';
import { DEFAULT_STUCK_AFTER_HOURS } from '../report/stuck';
import { REPORT_MODES, type ReportMode } from '../report/summary';
import { JSON_CONTENT_TYPE } from '../store/content';
import type { ReportStore } from '../store/store';
import { countFilesOf } from './count-files';
import { writeFailureRecord } from './failure-record';
import { errorKey, manifestKey, progressKey } from './layout';
import { type BatchLimits, DEFAULT_BATCH_LIMITS, splitIntoBatches } from './manifest';
import { NO_PROGRESS, raiseStepProgress } from './step-progress';

const count = z.number().int().nonnegative();

/** The plan's result: the run's identity, the size of the work, and what the plan cost. */
export const FanoutPlan = z.object({
  workspace: z.string(),
  runId: z.string(),
  mode: z.enum(REPORT_MODES),
  batches: count,
  sessions: count,
  files: count,
  /** When the plan started (epoch ms): the run's duration counts from here. */
  startedAt: z.number(),
  apiRequests: count,
  apiRetries: count,
  /** The stuck threshold the batches used (absent in plans made before it: the default). */
  stuckAfterHours: z.number().positive().optional(),
});
export type FanoutPlan = z.infer<typeof FanoutPlan>;

export interface PlanFanoutOptions {
  client: UploadSessionsClient;
  store: ReportStore;
  /** The run folder ('' or ending in '/'); scratch goes to `<prefix>fanout/`. */
  prefix: string;
  workspace: string;
  runId: string;
  mode: ReportMode;
  limits?: Partial<BatchLimits>;
  /** Pages of the session listing requested ahead (default 32). */
  pageWindow?: number;
  progress?: RunProgress;
  /** A session with pending files older than this at the plan's start is stuck (default 24). */
  stuckAfterHours?: number;
  /** Stops the plan (e.g. the run lost its lease): no request after it. */
  signal?: AbortSignal;
}

/**
 * Writes `<prefix>fanout/manifest.json` and returns the plan. On failure it leaves
 * `error-plan.json` behind and throws a `ReportFailedError`.
 */
export async function planFanout(options: PlanFanoutOptions): Promise<FanoutPlan> {
  const { client, store, prefix, workspace } = options;
  const startedAt = Date.now();
  try {
    const { signal } = options;
    const sessions = await listAllSessions(client, workspace, options.pageWindow, signal);
    if (options.progress) options.progress.sessionsTotal = sessions.length;
    const counts = await countFilesOf(client, workspace, sessions, signal);
    signal?.throwIfAborted();
    const stuckAfterHours = options.stuckAfterHours ?? DEFAULT_STUCK_AFTER_HOURS;
    const batches = splitIntoBatches(sessions, counts, { ...DEFAULT_BATCH_LIMITS, ...options.limits }).map(
      (batch) => ({ ...batch, run_started_at: startedAt, stuck_after_hours: stuckAfterHours }),
    );
    await store.write(manifestKey(prefix), JSON.stringify(batches), { contentType: JSON_CONTENT_TYPE });
    // The run's status shows the sessions before the workers and what the plan cost.
    await raiseStepProgress(store, progressKey(prefix, 'plan'), {
      ...NO_PROGRESS,
      sessions_total: sessions.length,
      requests: client.stats.requests,
      retries: client.stats.retries,
    });
    return {
      workspace,
      runId: options.runId,
      mode: options.mode,
      batches: batches.length,
      sessions: sessions.length,
      files: counts.reduce((sum, n) => sum + n, 0),
      startedAt,
      apiRequests: client.stats.requests,
      apiRetries: client.stats.retries,
      stuckAfterHours,
    };
  } catch (thrown) {
    // Stopped from outside: the reason, not the aborted request, is why the plan failed.
    const error = options.signal?.aborted ? options.signal.reason : thrown;
    const failure = describeFailure(error);
    await writeFailureRecord(store, errorKey(prefix, 'plan'), {
      ...failure,
      api_requests: client.stats.requests,
      api_retries: client.stats.retries,
      started_at: startedAt,
    });
    throw new ReportFailedError(failure, { cause: error });
  }
}
