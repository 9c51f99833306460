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
  const { keys: baselineKeys, index: baselineIndex } = keysOf(baseline);
  const { keys: currentKeys, index: stillThere } = keysOf(current);
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
  for (let index = 0; index < current.length; index++) {
    const file = current[index]!;
    const before = baselineIndex.get(currentKeys[index]!);
    if (before === undefined) {
      rows.push(added(file));
      continue;
    }
    const inOrder = before >= passed;
    if (inOrder) removedUntil(before);
    const previous = baseline[before]!;
    if (previous.status !== file.status) rows.push(changed(previous, file));
    if (inOrder) {
      passed = before + 1;
      removedUntil();
    }
  }
  removedUntil(baseline.length);
  return rows;
}

/**
 * A cell read back from the report's CSV never starts with NUL (the encoder puts `'` before
 * one), so a NUL-prefixed name can never equal an ID.
 */
const NAME_KEY = '\0';

/** Each file's key (its ID, or its name; a repeat gets its occurrence number) and the index of each key. */
function keysOf(files: readonly FileRecord[]): { keys: string[]; index: Map<string, number> } {
  const keys = new Array<string>(files.length);
  const index = new Map<string, number>();
  for (let at = 0; at < files.length; at++) {
    const file = files[at]!;
    let key = file.file_ingestion_id ?? NAME_KEY + file.name;
    if (index.has(key)) key = nextFree(index, key);
    index.set(key, at);
    keys[at] = key;
  }
  return { keys, index };
}

function nextFree(index: Map<string, number>, key: string): string {
  let occurrence = 1;
  while (index.has(`${key}\0${occurrence}`)) occurrence++;
  return `${key}\0${occurrence}`;
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
