/**
 * What a report must get right while its data changes: no duplicate session or file, no entry
 * lost that existed before and after the run, nothing that never existed, each file's status its
 * old or its new one, and counts that agree with rows and with summary.json.
 */
import { expect } from 'vitest';
import type { ReportMode } from '../../lib/report/summary';
import { csvBody, nonZero, type RunOutcome } from './report-fixture';

/** Session ID -> (file ID -> status), to compare what existed before and after a run. */
export type Snapshot = Map<string, Map<string, string>>;

/**
 * The guarantees under change: complete; no duplicate session or file; every session and file
 * that existed before and after the run is in it (unless its session was warned about); nothing
 * that never existed; each file's status is its old or its new one; counts agree with rows.
 * The run's own consistency (complete, counts agree with rows) is asserted here; lost, duplicated
 * or unknown entries are collected and returned, so a failure lists every one of them at once.
 */
export async function consistencyProblems(
  run: RunOutcome,
  before: Snapshot,
  after: Snapshot,
  mode: ReportMode,
): Promise<string[]> {
  if (run.error) throw run.error;
  const summary = run.summary!;
  expect(summary.complete).toBe(true);
  const sessionRows = csvBody(await run.read('sessions.csv'));
  const fileRows = mode === 'full' ? csvBody(await run.read('files.csv')) : undefined;
  const failedRows = csvBody(await run.read('failed_files.csv'));
  const problems: string[] = [];
  const listed = new Set(sessionRows.map((row) => row[0]!));
  if (listed.size !== sessionRows.length) problems.push('a session is listed twice');
  for (const id of before.keys()) if (after.has(id) && !listed.has(id)) problems.push(`lost session ${id}`);
  for (const id of listed) if (!before.has(id) && !after.has(id)) problems.push(`unknown session ${id}`);

  const byId = (rows: string[][]) => {
    const groups = new Map<string, string[][]>();
    for (const row of rows) groups.set(row[0]!, [...(groups.get(row[0]!) ?? []), row]);
    return groups;
  };
  const filesBySession = fileRows ? byId(fileRows) : undefined;
  const failedBySession = byId(failedRows);
  for (const row of sessionRows) {
    const id = row[0]!;
    const [total, pending, failed, finished] = row.slice(7, 11).map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const failedOfSession = failedBySession.get(id) ?? [];
    if (row[11] !== '') {
      expect(row.slice(7, 12)).toEqual(['', '', '', '', 'SESSION_NOT_FOUND']);
      if (filesBySession?.has(id) || failedOfSession.length > 0)
        problems.push(`rows of vanished session ${id}`);
      continue;
    }
    if (failed !== failedOfSession.length) problems.push(`session ${id}: failed ${failed} != failed rows`);
    if (pending + failed + finished !== total) problems.push(`session ${id}: counts do not add up`);
    if (!filesBySession) continue;
    const mine = filesBySession.get(id) ?? [];
    const count = (status: string) => mine.filter((r) => r[3] === status).length;
    if (total !== mine.length || pending !== count('PENDING') || finished !== count('FINISHED')) {
      problems.push(`session ${id}: counts ${row.slice(7, 11)} disagree with its ${mine.length} rows`);
    }
    problems.push(...fileProblems(id, mine, before.get(id), after.get(id)));
  }
  if (fileRows) expect(failedRows).toEqual(fileRows.filter((r) => r[3] === 'FAILED'));
  expect(failedRows.every((r) => r[3] === 'FAILED')).toBe(true);
  expect(summary.sessions.total).toBe(sessionRows.length);
  const warned = sessionRows.filter((row) => row[11] !== '').map((row) => row[0]!);
  expect(summary.warnings.map((w) => w.session_id).sort()).toEqual(warned.sort());
  expect(summary.files.total).toBe(sessionRows.reduce((sum, row) => sum + Number(row[7] || 0), 0));
  if (fileRows) {
    expect(summary.files.total).toBe(fileRows.length);
    expect(nonZero(summary.files.by_ingestion_status)).toEqual(tally(fileRows.map((r) => r[3]!)));
  }
  expect(summary.files.by_ingestion_status.FAILED ?? 0).toBe(failedRows.length);
  return problems;
}

/** Duplicates, lost files, files that never existed, statuses neither old nor new. */
function fileProblems(
  sessionId: string,
  rows: string[][],
  old = new Map<string, string>(),
  now = new Map<string, string>(),
): string[] {
  const problems: string[] = [];
  const ids = new Set(rows.map((r) => r[1]!));
  if (ids.size !== rows.length) problems.push(`session ${sessionId}: a file is listed twice`);
  for (const id of old.keys())
    if (now.has(id) && !ids.has(id)) problems.push(`lost file ${id} of ${sessionId}`);
  for (const [, id, , status] of rows) {
    if (!old.has(id!) && !now.has(id!)) problems.push(`unknown file ${id}`);
    else if (status !== old.get(id!) && status !== now.get(id!))
      problems.push(`file ${id}: status ${status}`);
  }
  return problems;
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}
