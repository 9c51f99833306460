/**
 * `status.json` in a run folder: what any instance answers about a run while it goes on and
 * after. The run writes it when it starts, at most every few seconds while it walks, and once
 * at the end. Reading it back also tells a dead run from a live one: a run still "running"
 * whose lease has expired, or passed to another run, stopped without finishing (ABANDONED).
 * A fan-out run's workers cannot share one status.json: while it runs, its steps' own progress
 * objects are added up here (lib/fanout/step-progress).
 */
import { z } from 'zod';
import { readFanoutProgress } from '../fanout/step-progress';
import { parseStoredJson } from '../store/content';
import { readLease } from '../store/lease';
import type { ReportStore } from '../store/store';
import { REPORT_FILES } from './columns';
import { runLeaseKey } from './run-lease-key';
import { ReportSummary } from './summary';

export const STATUS_FILE = 'status.json';

export const RUN_STATES = ['running', 'complete', 'failed'] as const;

export const RunProgressCounts = z.object({
  sessions_done: z.number(),
  /** null until the session listing is complete. */
  sessions_total: z.number().nullable(),
  files_seen: z.number(),
  requests: z.number(),
});
export type RunProgressCounts = z.infer<typeof RunProgressCounts>;

export const RunStatus = z.object({
  workspace: z.string(),
  run_id: z.string(),
  mode: z.enum(['full', 'summary']),
  status: z.enum(RUN_STATES),
  started_at: z.string(),
  updated_at: z.string(),
  progress: RunProgressCounts,
  summary: ReportSummary.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type RunStatus = z.infer<typeof RunStatus>;

/** The error of a run that died without saying so. */
export function abandonedError(expiredAt: Date | undefined): { code: string; message: string } {
  const when = expiredAt ? ` at ${expiredAt.toISOString()}` : '';
  return {
    code: 'ABANDONED',
    message: `the run stopped without finishing (a timeout, a crash or a kill): its lease expired${when}`,
  };
}

/**
 * The status of run `runId` of `workspace`, from its folder: status.json once it is final, or
 * while the run holds the workspace's lease; else summary.json (runs from before status.json,
 * or one that died after it), else ABANDONED. undefined: no such run.
 */
export async function readRunStatus(
  store: ReportStore,
  workspace: string,
  runId: string,
  prefix: string,
  now: Date = new Date(),
): Promise<RunStatus | undefined> {
  const [statusFile, summaryFile] = await Promise.all([
    store.read(prefix + STATUS_FILE),
    store.read(prefix + REPORT_FILES.summary),
  ]);
  const status = statusFile ? parseStoredJson(RunStatus, statusFile.body) : undefined;
  // A damaged summary.json is an error to report, not a run to hide (a damaged status reads as absent).
  const summary = summaryFile ? ReportSummary.parse(JSON.parse(summaryFile.body)) : undefined;
  if (status && status.status !== 'running')
    return summary && !status.summary ? { ...status, summary } : status;
  if (!status) return summary ? fromSummary(summary, status) : undefined;
  const lease = await readLease(store, runLeaseKey(workspace));
  if (lease?.holder === runId && lease.expiresAt > now) return withStepProgress(store, prefix, status);
  // Died after its summary, before its last status write: the summary says how it ended.
  if (summary) return fromSummary(summary, await withStepProgress(store, prefix, status));
  const expiredAt = lease?.holder === runId ? lease.expiresAt : undefined;
  const died = await withStepProgress(store, prefix, status);
  return { ...died, status: 'failed', error: abandonedError(expiredAt) };
}

/**
 * A running status with its fan-out steps' progress added up, when it has any: each count the
 * higher of status.json's and the steps' sum, so it never goes back whichever moved.
 */
async function withStepProgress(store: ReportStore, prefix: string, status: RunStatus): Promise<RunStatus> {
  const steps = await readFanoutProgress(store, prefix).catch(() => undefined);
  if (!steps) return status;
  const { progress } = status;
  return {
    ...status,
    progress: {
      sessions_total: progress.sessions_total ?? steps.sessions_total,
      sessions_done: Math.max(progress.sessions_done, steps.sessions_done),
      files_seen: Math.max(progress.files_seen, steps.files_seen),
      requests: Math.max(progress.requests, steps.requests),
    },
  };
}

/** A finished run: its summary decides, whether or not its last status write got through. */
export function fromSummary(summary: ReportSummary, status: RunStatus | undefined): RunStatus {
  return {
    workspace: summary.workspace,
    run_id: summary.run_id,
    mode: summary.mode,
    status: summary.complete ? 'complete' : 'failed',
    started_at: status?.started_at ?? runStartedAt(summary.run_id),
    updated_at: status?.updated_at ?? summary.generated_at,
    progress: status?.progress ?? {
      sessions_done: summary.sessions.total,
      sessions_total: summary.sessions.total,
      files_seen: summary.files.total,
      requests: summary.api_requests,
    },
    ...(summary.complete ? { summary } : { summary, error: summary.error }),
  };
}

/** When a run started, from its ID (`20261123T070630123Z-…`). */
export function runStartedAt(runId: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(runId);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : '';
}

/** status.json of the run folder `prefix`, undefined when absent or damaged. */
export async function readStatusFile(store: ReportStore, prefix: string): Promise<RunStatus | undefined> {
  const file = await store.read(prefix + STATUS_FILE);
  return file ? parseStoredJson(RunStatus, file.body) : undefined;
}
