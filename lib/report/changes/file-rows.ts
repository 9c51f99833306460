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

/**
 * One session's rows, as runs of the batches they came in (a session's rows are contiguous):
 * nothing is copied per row.
 */
export class SessionFiles implements FileRows {
  private readonly batches: FileRows[] = [];
  /** Per run: where its rows end in the session, and what to add to a session index to get the batch's. */
  private readonly ends: number[] = [];
  private readonly shifts: number[] = [];
  private run = 0;
  length = 0;

  /** Appends row `index` of `rows`. */
  add(rows: FileRows, index: number): void {
    const last = this.batches.length - 1;
    if (last >= 0 && this.batches[last] === rows && this.length + this.shifts[last]! === index) {
      this.ends[last] = ++this.length;
      return;
    }
    this.batches.push(rows);
    this.shifts.push(index - this.length);
    this.ends.push(++this.length);
  }

  sessionId(index: number): string {
    const run = this.runOf(index);
    return this.batches[run]!.sessionId(index + this.shifts[run]!);
  }
  key(index: number): string {
    const run = this.runOf(index);
    return this.batches[run]!.key(index + this.shifts[run]!);
  }
  status(index: number): string {
    const run = this.runOf(index);
    return this.batches[run]!.status(index + this.shifts[run]!);
  }
  record(index: number): FileRecord {
    const run = this.runOf(index);
    return this.batches[run]!.record(index + this.shifts[run]!);
  }

  /** The run holding `index`: the last one found when it still does (rows are mostly read in order). */
  private runOf(index: number): number {
    const { ends } = this;
    let run = this.run;
    if (index < ends[run]! && (run === 0 || index >= ends[run - 1]!)) return run;
    let [low, high] = [0, ends.length - 1];
    while (low < high) {
      run = (low + high) >>> 1;
      if (ends[run]! <= index) low = run + 1;
      else high = run;
    }
    this.run = low;
    return low;
  }
}

/**
 * A stream of file-row batches read one session at a time: a session's rows are contiguous, so
 * taking them stops at the first row of another session, which stays next.
 */
export class SessionCursor {
  private readonly batches: AsyncIterator<readonly FileRecord[] | FileRows>;
  private batch: FileRows = asFileRows([]);
  private at = 0;

  constructor(batches: AsyncIterable<readonly FileRecord[] | FileRows>) {
    this.batches = batches[Symbol.asyncIterator]();
  }

  /** The rows of `sessionId` from here on, up to the next row of another session. */
  async take(sessionId: string): Promise<SessionFiles> {
    const rows = new SessionFiles();
    // Awaits only to fetch the next batch: a promise per row would cost seconds at a million rows.
    while (
      (this.at < this.batch.length || (await this.refill())) &&
      this.batch.sessionId(this.at) === sessionId
    ) {
      rows.add(this.batch, this.at++);
    }
    return rows;
  }

  /** The session of the next row, without taking it; undefined at the end. */
  async peek(): Promise<string | undefined> {
    return this.at < this.batch.length || (await this.refill()) ? this.batch.sessionId(this.at) : undefined;
  }

  /** Moves to the next non-empty batch; false at the end of the stream. */
  private async refill(): Promise<boolean> {
    while (this.at >= this.batch.length) {
      const step = await this.batches.next();
      if (step.done) return false;
      [this.batch, this.at] = [asFileRows(step.value), 0];
    }
    return true;
  }
}
