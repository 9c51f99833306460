/**
 * The changes of one session between two runs, from its rows on each side (both in files.csv
 * order). Pure and per session: the caller holds one session's rows of each run at a time.
 *
 * Keys (see ./file-rows): a file is the same file when its `file_ingestion_id` is, else when
 * its name within the session is. Names repeat within a session, so the n-th file of a name
 * matches the n-th file of that name on the other side (the same goes for an ID seen twice,
 * which the API should never send).
 *
 * Order: the current rows' order; a removed file stands where the baseline had it: right
 * after the row of the file that preceded it there (or first, when none did), so before any
 * file added since. (Files come in created_at order, so this is also the order of the union.)
 *
 * Cost: one map of the baseline's keys and one look-up per current row; records are read only
 * for the rows that changed.
 */
import type { ChangeRow, FileRecord } from './columns';
import { asFileRows, type FileRows } from './file-rows';

/** The change rows of one session, in report order. */
export function diffSession(
  baselineRows: readonly FileRecord[] | FileRows,
  currentRows: readonly FileRecord[] | FileRows,
): ChangeRow[] {
  const baseline = asFileRows(baselineRows);
  const current = asFileRows(currentRows);
  const { matchOf, stillThere } = matchFiles(baseline, current);
  const rows: ChangeRow[] = [];
  let passed = 0;
  /** Removed files up to `end`, or (no end) up to the next file that is still there. */
  const removedUntil = (end?: number) => {
    for (; passed < (end ?? baseline.length); passed++) {
      const gone = stillThere[passed] === 0;
      if (end === undefined && !gone) return;
      if (gone) rows.push(removed(baseline.record(passed)));
    }
  };
  removedUntil();
  for (let index = 0; index < current.length; index++) {
    const before = matchOf[index]!;
    if (before === -1) {
      rows.push(added(current.record(index)));
      continue;
    }
    const inOrder = before >= passed;
    if (inOrder) removedUntil(before);
    const previousStatus = baseline.status(before);
    if (previousStatus !== current.status(index)) rows.push(changed(previousStatus, current.record(index)));
    if (inOrder) {
      passed = before + 1;
      removedUntil();
    }
  }
  removedUntil(baseline.length);
  return rows;
}

/**
 * For each current row, the baseline row of the same file (-1: none), and for each baseline
 * row whether a current row matched it. The n-th current occurrence of a key takes the n-th
 * baseline occurrence: `nextSame` chains a key's baseline occurrences, `cursor` remembers the
 * next free one of a key that repeats.
 */
function matchFiles(baseline: FileRows, current: FileRows) {
  const first = new Map<string, number>();
  const nextSame = new Int32Array(baseline.length).fill(-1);
  const tail = new Map<string, number>();
  for (let index = 0; index < baseline.length; index++) {
    const key = baseline.key(index);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, index);
      continue;
    }
    nextSame[tail.get(key) ?? earlier] = index;
    tail.set(key, index);
  }
  const stillThere = new Uint8Array(baseline.length);
  const matchOf = new Int32Array(current.length);
  const cursor = new Map<string, number>();
  for (let index = 0; index < current.length; index++) {
    const key = current.key(index);
    let before = first.get(key) ?? -1;
    if (before !== -1 && stillThere[before] === 1) before = cursor.get(key) ?? -1;
    matchOf[index] = before;
    if (before === -1) continue;
    stillThere[before] = 1;
    if (nextSame[before] !== -1 || cursor.has(key)) cursor.set(key, nextSame[before]!);
  }
  return { matchOf, stillThere };
}

function added(file: FileRecord): ChangeRow {
  return {
    session_id: file.session_id,
    file_ingestion_id: file.file_ingestion_id,
    name: file.name,
    previous_status: null,
    status: file.status,
    reason: file.reason,
    change: 'added',
  };
}

function removed(file: FileRecord): ChangeRow {
  return {
    session_id: file.session_id,
    file_ingestion_id: file.file_ingestion_id,
    name: file.name,
    previous_status: file.status,
    status: null,
    reason: file.reason,
    change: 'removed',
  };
}

function changed(previousStatus: string, file: FileRecord): ChangeRow {
  return {
    session_id: file.session_id,
    file_ingestion_id: file.file_ingestion_id,
    name: file.name,
    previous_status: previousStatus,
    status: file.status,
    reason: file.reason,
    change: 'status_changed',
  };
}
