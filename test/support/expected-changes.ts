/**
 * What changes.csv and summary.json `changes` must hold between two emulator datasets (before
 * and after a night), computed from the datasets alone, independently of the merge's walk: per
 * session of the union (report order), the union of its files in report order.
 *
 * With every file listed (scope all), a file added since the baseline is newer than all the
 * baseline's, so the union sorted by created_at is the order. Listing FAILED files only, a
 * newly failed file can be older than a removed one and rows do not carry created_at: there a
 * removed file stands right after the file that preceded it in the baseline's list.
 */
import type { EmulatorFile, EmulatorSession } from '../../emulator/dataset';
import { FAILURE_REASONS } from '../../lib/api/enums';
import { cell, sortedFiles, sortedSessions } from './truth';

export type Scope = 'all' | 'failed_only';

export function expectedChangeRows(
  before: EmulatorSession[],
  after: EmulatorSession[],
  scope: Scope,
): string[][] {
  const keep = (f: EmulatorFile) => scope === 'all' || f.ingestion_status === 'FAILED';
  const beforeById = new Map(before.map((s) => [s.session_id, s]));
  const afterById = new Map(after.map((s) => [s.session_id, s]));
  const union = sortedSessions([...after, ...before.filter((s) => !afterById.has(s.session_id))]);
  const rows: string[][] = [];
  for (const session of union) {
    const was = sortedFiles((beforeById.get(session.session_id)?.files ?? []).filter(keep));
    const is = sortedFiles((afterById.get(session.session_id)?.files ?? []).filter(keep));
    const files = scope === 'all' ? sortedFiles(unionOf(was, is)) : anchoredUnion(was, is);
    rows.push(...files.flatMap((file) => changeRow(session.session_id, file, was, is)));
  }
  return rows;
}

/** Newly failed by reason: FAILED now, not FAILED before (or absent); every documented reason present. */
export function expectedNewlyFailed(
  before: EmulatorSession[],
  after: EmulatorSession[],
): Record<string, number> {
  const previous = new Map(
    before.flatMap((s) => s.files.map((f) => [f.file_ingestion_id, f.ingestion_status])),
  );
  const out: Record<string, number> = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0]));
  for (const file of after.flatMap((s) => s.files)) {
    if (file.ingestion_status !== 'FAILED' || previous.get(file.file_ingestion_id) === 'FAILED') continue;
    const reason = file.ingestion_status_reason ?? 'UNSPECIFIED';
    out[reason] = (out[reason] ?? 0) + 1;
  }
  return out;
}

/** The counts of summary.json `changes` from the expected rows (transitions from their statuses). */
export function expectedCounts(rows: string[][]) {
  const count = (change: string) => rows.filter((r) => r[6] === change).length;
  const transitions: Record<string, number> = {};
  for (const row of rows.filter((r) => r[6] === 'status_changed')) {
    const key = `${row[3]}->${row[4]}`;
    transitions[key] = (transitions[key] ?? 0) + 1;
  }
  return {
    added: count('added'),
    removed: count('removed'),
    status_changed: count('status_changed'),
    transitions,
  };
}

const idsOf = (files: EmulatorFile[]) => new Set(files.map((f) => f.file_ingestion_id));

function unionOf(was: EmulatorFile[], is: EmulatorFile[]): EmulatorFile[] {
  const current = idsOf(is);
  return [...is, ...was.filter((f) => !current.has(f.file_ingestion_id))];
}

/** Current files in order, each removed one right after its nearest predecessor in `was` that is still there. */
function anchoredUnion(was: EmulatorFile[], is: EmulatorFile[]): EmulatorFile[] {
  const current = new Map(is.map((f, index) => [f.file_ingestion_id, index]));
  let anchor = -1;
  const keyed = is.map((file, index) => ({ file, key: [index, 0, 0] }));
  was.forEach((file, order) => {
    const at = current.get(file.file_ingestion_id);
    if (at !== undefined) anchor = at;
    else keyed.push({ file, key: [anchor, 1, order] });
  });
  const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  return keyed.sort((a, b) => compare(a.key, b.key)).map((entry) => entry.file);
}

function changeRow(
  sessionId: string,
  file: EmulatorFile,
  was: EmulatorFile[],
  is: EmulatorFile[],
): string[][] {
  const old = was.find((f) => f.file_ingestion_id === file.file_ingestion_id);
  const now = is.find((f) => f.file_ingestion_id === file.file_ingestion_id);
  const change = !old
    ? 'added'
    : !now
      ? 'removed'
      : old.ingestion_status !== now.ingestion_status
        ? 'status_changed'
        : undefined;
  if (!change) return [];
  return [
    [
      sessionId,
      file.file_ingestion_id,
      cell(file.name),
      old?.ingestion_status ?? '',
      now?.ingestion_status ?? '',
      cell((now ?? old)!.ingestion_status_reason),
      change,
    ],
  ];
}
