/**
 * File rows as the comparison reads them: what it compares on (a row's key and status), and
 * the whole record only for the rows that changed. Two million rows are read at a million
 * files, so rows read from a CSV keep no record each (./file-row-scanner holds their text and
 * offsets; a record is read back for a change row only), and one session's rows are gathered
 * into flat arrays rather than objects.
 *
 * Keys: a file is the same file when its `file_ingestion_id` is; a file without one is keyed by
 * its name within the session. A cell read back from the report's CSV never starts with NUL
 * (the encoder puts `'` before one), so a NUL-prefixed name can never equal an ID.
 */
import type { FileRecord } from './columns';
import { asLatin1 } from './latin1';

/** A run of file rows: a batch as read, or one session's. */
export interface FileRows {
  readonly length: number;
  sessionId(index: number): string;
  key(index: number): string;
  status(index: number): string;
  record(index: number): FileRecord;
}

const NAME_KEY = '\0';

/** The key of a file without an ID. */
export function nameKey(name: string): string {
  return NAME_KEY + name;
}

/** Records in memory (tests, and callers that have them) as file rows. */
export class RecordRows implements FileRows {
  constructor(private readonly records: readonly FileRecord[]) {}

  get length(): number {
    return this.records.length;
  }
  sessionId(index: number): string {
    return this.records[index]!.session_id;
  }
  key(index: number): string {
    const record = this.records[index]!;
    // Keys as the scanner makes them (latin1 of the UTF-8 bytes): records and read rows compare.
    return asLatin1(record.file_ingestion_id ?? nameKey(record.name));
  }
  status(index: number): string {
    return this.records[index]!.status;
  }
  record(index: number): FileRecord {
    return this.records[index]!;
  }
}

/** `rows` as file rows (records are wrapped). */
export function asFileRows(rows: readonly FileRecord[] | FileRows): FileRows {
  return Array.isArray(rows) ? new RecordRows(rows as readonly FileRecord[]) : (rows as FileRows);
}

/** One session's rows gathered from the batches they came in: flat arrays, no object per row. */
export class SessionFiles implements FileRows {
  private readonly keys: string[] = [];
  private readonly statuses: string[] = [];
  private readonly sources: FileRows[] = [];
  private readonly positions: number[] = [];

  get length(): number {
    return this.keys.length;
  }

  /** Appends row `index` of `rows`. */
  add(rows: FileRows, index: number): void {
    this.keys.push(rows.key(index));
    this.statuses.push(rows.status(index));
    this.sources.push(rows);
    this.positions.push(index);
  }

  sessionId(index: number): string {
    return this.sources[index]!.sessionId(this.positions[index]!);
  }
  key(index: number): string {
    return this.keys[index]!;
  }
  status(index: number): string {
    return this.statuses[index]!;
  }
  record(index: number): FileRecord {
    return this.sources[index]!.record(this.positions[index]!);
  }
}

/** The records of `rows` (for callers that want objects; the comparison never does). */
export function recordsOf(rows: FileRows): FileRecord[] {
  const records: FileRecord[] = [];
  for (let index = 0; index < rows.length; index++) records.push(rows.record(index));
  return records;
}
