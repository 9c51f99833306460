/**
 * The orderings the API offers, PostgreSQL-like: NULLs last in ASC (first in DESC), strings
 * by code point (the "C" collation), timestamps as instants, and the entry's ID as the final
 * tie-break in the same direction, so DESC is exactly ASC reversed and every order is total.
 */
import type { FileSortField, SessionSortField } from '../lib/api/enums';
import type { EmulatorFile, EmulatorSession } from './dataset';
import { timestampMicros } from './timestamps';

/** What an entry is sorted by; null sorts after every value in ASC. */
export type SortKey = number | string | null;

/**
 * The key of a session for `field`. Sessions have no `name` or `ingestion_status_reason`: those
 * keys are all equal, so the ID decides.
 */
export function sessionSortKey(field: SessionSortField): (session: EmulatorSession) => SortKey {
  switch (field) {
    case 'created_at':
      return (session) => timestampMicros(session.created_at);
    case 'expires_at':
      return (session) => timestampMicros(session.expires_at);
    case 'file_count':
      return (session) => session.files.length;
    case 'status':
      return (session) => session.status;
    case 'write_mode':
      return (session) => session.write_mode;
    case 'name':
    case 'ingestion_status_reason':
      return () => 0;
  }
}

/** The key of a file for `field`; `created_at` is the hidden creation time. */
export function fileSortKey(field: FileSortField): (file: EmulatorFile) => SortKey {
  switch (field) {
    case 'created_at':
      return (file) => timestampMicros(file.created_at);
    case 'ingestion_status':
      return (file) => file.ingestion_status;
    case 'ingestion_status_reason':
      return (file) => file.ingestion_status_reason;
    case 'name':
      return (file) => file.name;
  }
}

/** Entries in ascending order of `key`, then of `id`. */
export function sortAscending<T>(
  entries: readonly T[],
  key: (entry: T) => SortKey,
  id: (entry: T) => string,
): T[] {
  const decorated = entries.map((entry) => ({ entry, key: key(entry), id: id(entry) }));
  decorated.sort((a, b) => compareKeys(a.key, b.key) || compareCodePoints(a.id, b.id));
  return decorated.map((item) => item.entry);
}

/** Ascending comparison with NULLs last; numbers before strings (never mixed in practice). */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  return typeof a === 'number' ? -1 : 1;
}

/**
 * Code-point order (as UTF-8 bytes compare). JavaScript's `<` compares UTF-16 units, which puts
 * astral characters (emoji) before U+E000..U+FFFF; shifting the units at the first difference
 * fixes that without decoding whole strings.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
