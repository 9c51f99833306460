/** `summary.json`: the contract analysts and the dashboard read. */
import { z } from 'zod';
import { ChangesSummary } from './changes/counts';
import { StuckSummary } from './stuck';
import { FileCounts, failureReasonObject, ingestionStatusObject, sessionStatusObject, Tally } from './tally';

export const REPORT_MODES = ['full', 'summary'] as const;
export type ReportMode = (typeof REPORT_MODES)[number];

const counts = z.record(z.string(), z.number());

/** Also the parser for summaries read back from the store (HTTP API, dashboard, trend). */
export const ReportSummary = z.object({
  workspace: z.string(),
  run_id: z.string(),
  generated_at: z.string(),
  mode: z.enum(REPORT_MODES),
  complete: z.boolean(),
  api_requests: z.number(),
  api_retries: z.number(),
  duration_ms: z.number(),
  sessions: z.object({ total: z.number(), by_status: counts }),
  files: z.object({ total: z.number(), by_ingestion_status: counts, failed_by_reason: counts }),
  warnings: z.array(z.object({ session_id: z.string(), code: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  // Absent in runs written before they existed, and in runs that failed.
  /** What changed since the previous complete run, or why there was nothing to compare with. */
  changes: z.union([ChangesSummary, z.object({ unavailable: z.string() })]).optional(),
  /** Sessions with pending files older than the threshold. */
  stuck: StuckSummary.optional(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

/** A warning: something the report notes without failing, e.g. a session that vanished. */
export interface ReportWarning {
  session_id: string;
  code: 'SESSION_NOT_FOUND';
}

/** The workspace-wide counts, added up session by session as the run goes. */
export class WorkspaceTotals {
  readonly sessionsByStatus = new Tally();
  readonly files = new FileCounts();
  readonly warnings: ReportWarning[] = [];
}

export interface SummaryInput {
  workspace: string;
  runId: string;
  mode: ReportMode;
  startedAt: number;
  finishedAt: number;
  requests: number;
  retries: number;
  totals: WorkspaceTotals;
  error?: { code: string; message: string };
  /** Left out of a failed run's summary. */
  changes?: ReportSummary['changes'];
  stuck?: StuckSummary;
}

export function buildSummary(input: SummaryInput): ReportSummary {
  const { totals } = input;
  return {
    workspace: input.workspace,
    run_id: input.runId,
    generated_at: new Date(input.finishedAt).toISOString(),
    mode: input.mode,
    complete: input.error === undefined,
    api_requests: input.requests,
    api_retries: input.retries,
    duration_ms: Math.round(input.finishedAt - input.startedAt),
    sessions: {
      total: totals.sessionsByStatus.total,
      by_status: sessionStatusObject(totals.sessionsByStatus),
    },
    files: {
      total: totals.files.total,
      by_ingestion_status: ingestionStatusObject(totals.files.byStatus),
      failed_by_reason: failureReasonObject(totals.files.failedByReason),
    },
    warnings: [...totals.warnings],
    ...(input.error ? { error: input.error } : {}),
    ...(input.changes && !input.error ? { changes: input.changes } : {}),
    ...(input.stuck && !input.error ? { stuck: input.stuck } : {}),
  };
}
