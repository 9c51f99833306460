/**
 * The changes of one session between two runs, from its rows on each side (both in files.csv
 * order). Pure and per session: the caller holds one session's rows of each run at a time.
 *
 * Keys: a file is the same file when its `file_ingestion_id` is; a file without one is keyed
 * by its name within the session (session + name). Names repeat within a session, so the n-th
 * file of a name matches the n-th file of that name on the other side (the same goes for an ID
 * seen twice, which the API should never send).
 *
 * Order: the current rows' order; a removed file stands where the baseline had it: right
 * after the row of the file that preceded it there (or first, when none did), so before any
 * file added since. (Files come in created_at order, so this is also the order of the union.)
 */
import type { ChangeRow, FileRecord } from './columns';

/** The change rows of one session, in report order. */
export function diffSession(baseline: readonly FileRecord[], current: readonly FileRecord[]): ChangeRow[] {
  const baselineKeys = keysOf(baseline);
  const currentKeys = keysOf(current);
  const baselineIndex = new Map(baselineKeys.map((key, index) => [key, index]));
  const stillThere = new Set(currentKeys);
  const rows: ChangeRow[] = [];
  let passed = 0;
  /** Removed files up to `end`, or (no end) up to the next file that is still there. */
  const removedUntil = (end?: number) => {
    for (; passed < (end ?? baseline.length); passed++) {
      const gone = !stillThere.has(baselineKeys[passed]!);
      if (end === undefined && !gone) return;
      if (gone) rows.push(removed(baseline[passed]!));
    }
  };
  removedUntil();
  current.forEach((file, index) => {
    const before = baselineIndex.get(currentKeys[index]!);
    if (before === undefined) {
      rows.push(added(file));
      return;
    }
    const inOrder = before >= passed;
    if (inOrder) removedUntil(before);
    const previous = baseline[before]!;
    if (previous.status !== file.status) rows.push(changed(previous, file));
    if (inOrder) {
      passed = before + 1;
      removedUntil();
    }
  });
  removedUntil(baseline.length);
  return rows;
}

/** Each file's key: its ID, or its name, with the occurrence number of that key in the session. */
function keysOf(files: readonly FileRecord[]): string[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const base = file.file_ingestion_id === null ? `name:${file.name}` : `id:${file.file_ingestion_id}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return `${base}#${occurrence}`;
  });
}

function added(file: FileRecord): ChangeRow {
  return {
    ...identity(file),
    previous_status: null,
    status: file.status,
    reason: file.reason,
    change: 'added',
  };
}

function removed(file: FileRecord): ChangeRow {
  return {
    ...identity(file),
    previous_status: file.status,
    status: null,
    reason: file.reason,
    change: 'removed',
  };
}

function changed(previous: FileRecord, file: FileRecord): ChangeRow {
  return {
    ...identity(file),
    previous_status: previous.status,
    status: file.status,
    reason: file.reason,
    change: 'status_changed',
  };
}

function identity(file: FileRecord) {
  return { session_id: file.session_id, file_ingestion_id: file.file_ingestion_id, name: file.name };
}
