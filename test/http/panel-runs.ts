/**
 * Run folders for the dashboard's "Since the previous run" and "Stuck" panels, written the way
 * a run writes them: rows through the report's own row builders and CSV writer, the change
 * counts through ChangeCounts, the stuck decisions through StuckTally, summary.json checked by
 * the ReportSummary schema and written by the JSON writer, then latest.json advanced. A run can
 * be an old one (no `stuck` column, no `changes` or `stuck` in its summary).
 */
import type { Session } from '../../lib/api/schemas';
import {
  CHANGE_COLUMNS,
  type ChangeRow,
  type ChangeScope,
  changeCells,
} from '../../lib/report/changes/columns';
import { ChangeCounts } from '../../lib/report/changes/counts';
import { type Cell, FILE_COLUMNS, REPORT_FILES, SESSION_COLUMNS } from '../../lib/report/columns';
import { csvHeader, csvRows } from '../../lib/report/csv';
import { advanceLatest } from '../../lib/report/latest-pointer';
import { runPrefix } from '../../lib/report/layout';
import { sessionRow } from '../../lib/report/rows';
import { StuckTally } from '../../lib/report/stuck';
import { buildSummary, ReportSummary, WorkspaceTotals } from '../../lib/report/summary';
import { FileCounts } from '../../lib/report/tally';
import { CSV_CONTENT_TYPE, writeJson } from '../../lib/store/content';
import type { ReportStore } from '../../lib/store/store';

/** A session of the run: who made it when, and its files' statuses (reason for FAILED ones). */
export interface SessionSpec {
  id: string;
  createdBy: [given: string, family: string];
  createdAt: string;
  files: { status: string; reason?: string }[];
}

export interface RunSpec {
  workspace: string;
  /** Also the run's start, which stuck sessions are judged by. */
  runId: string;
  sessions: SessionSpec[];
  /** What the run says about a comparison: rows of changes.csv against a run, why there is none, or nothing (old run). */
  changes?: { previousRunId: string; scope: ChangeScope; rows: ChangeRow[] } | { unavailable: string };
  /** The stuck threshold in hours; undefined writes an old run (no stuck column or counts). */
  stuckAfterHours?: number;
}

/** Writes the run folder and points latest.json at it; returns the summary as stored. */
export async function writePanelRun(store: ReportStore, spec: RunSpec): Promise<ReportSummary> {
  const prefix = runPrefix(spec.workspace, spec.runId);
  const startedAt = runStart(spec.runId);
  const totals = new WorkspaceTotals();
  const stuck =
    spec.stuckAfterHours === undefined ? undefined : new StuckTally(startedAt, spec.stuckAfterHours);
  const columns = sessionColumns(stuck !== undefined);
  let sessionsCsv = csvHeader(columns);
  for (const spec_ of spec.sessions) {
    const { session, counts } = sessionOf(spec_);
    totals.sessionsByStatus.add(session.status);
    totals.files.addAll(counts);
    const record: Record<string, Cell> = Object.fromEntries(
      SESSION_COLUMNS.map((name, i) => [name, sessionRow(session, counts, undefined, false)[i] ?? null]),
    );
    if (stuck)
      record.stuck = String(
        stuck.add({ created_at: session.created_at, pending: counts.byStatus.get('PENDING') }),
      );
    sessionsCsv += csvRows([columns.map((name) => record[name] ?? null)]);
  }
  await store.write(prefix + REPORT_FILES.sessions, sessionsCsv, { contentType: CSV_CONTENT_TYPE });
  for (const name of [REPORT_FILES.files, REPORT_FILES.failedFiles]) {
    await store.write(prefix + name, csvHeader(FILE_COLUMNS), { contentType: CSV_CONTENT_TYPE });
  }
  const built = buildSummary({
    workspace: spec.workspace,
    runId: spec.runId,
    mode:
      spec.changes && 'scope' in spec.changes && spec.changes.scope === 'failed_only' ? 'summary' : 'full',
    startedAt,
    finishedAt: startedAt + 1_500,
    requests: 12,
    retries: 0,
    totals,
  });
  const summary = ReportSummary.parse({
    ...built,
    ...(spec.changes ? { changes: await writeChanges(store, prefix, spec.changes) } : {}),
    ...(stuck ? { stuck: stuck.toSummary() } : {}),
  });
  await writeJson(store, prefix + REPORT_FILES.summary, summary);
  await advanceLatest(store, {
    workspace: spec.workspace,
    run_id: spec.runId,
    generated_at: summary.generated_at,
    prefix,
  });
  return summary;
}

/** changes.csv and its counts, or just why there is none. */
async function writeChanges(
  store: ReportStore,
  prefix: string,
  changes: NonNullable<RunSpec['changes']>,
): Promise<ReportSummary['changes']> {
  if ('unavailable' in changes) return { unavailable: changes.unavailable };
  const counts = new ChangeCounts();
  for (const row of changes.rows) counts.add(row);
  const text = csvHeader(CHANGE_COLUMNS) + csvRows(changes.rows.map(changeCells));
  await store.write(prefix + REPORT_FILES.changes, text, { contentType: CSV_CONTENT_TYPE });
  return counts.toSummary(changes.previousRunId, changes.scope);
}

/** sessions.csv's columns with or without the appended `stuck` column. */
function sessionColumns(withStuck: boolean): string[] {
  const base = (SESSION_COLUMNS as readonly string[]).filter((name) => name !== 'stuck');
  return withStuck ? [...base, 'stuck'] : base;
}

function sessionOf(spec: SessionSpec): { session: Session; counts: FileCounts } {
  const counts = new FileCounts();
  for (const file of spec.files) counts.addFile(file.status, file.reason ?? null);
  const session: Session = {
    session_id: spec.id,
    created_at: spec.createdAt,
    expires_at: null,
    created_by: { given_name: spec.createdBy[0], family_name: spec.createdBy[1], user_id: `user-${spec.id}` },
    status: 'OPEN',
    write_mode: 'KEEP',
  };
  return { session, counts };
}

/** `20261123T070630123Z-4f9c2a` -> its start in ms since the epoch. */
export function runStart(runId: string): number {
  const [, y, mo, d, h, mi, s, ms] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(runId) ?? [];
  return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
}

/** `count` files of one status (and reason). */
export const filesOf = (count: number, status: string, reason?: string) =>
  Array.from({ length: count }, () => ({ status, ...(reason ? { reason } : {}) }));
