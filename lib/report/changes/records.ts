/**
 * File rows read back as records: a whole files.csv / failed_files.csv (header first) as a
 * stream of batches, or one session's rows as a run holds them before writing (CSV text with
 * no header, in its spill buffer), which is how a run feeds its own side to the merge: both
 * sides then compare cells exactly as the CSVs carry them.
 */
import { FILE_COLUMNS } from '../columns';
import { csvBodyBatches, csvRowBatches } from '../csv-stream';
import { type FileRecord, fileRecord } from './columns';

type Chunks = AsyncIterable<Uint8Array | string>;

/** The rows of a files.csv / failed_files.csv body (header first) as batches of records. */
export async function* fileRecords(body: Chunks, source: string): AsyncGenerator<FileRecord[]> {
  const shared = new SharedStrings();
  for await (const batch of csvBodyBatches(body, FILE_COLUMNS, source)) {
    yield batch.map((cells) => shared.record(fileRecord(cells, source)));
  }
}

/** One session's rows (CSV text without a header, e.g. `SpillBuffer.read()`) as records. */
export async function sessionRecords(rows: Chunks, source: string): Promise<FileRecord[]> {
  const shared = new SharedStrings();
  const records: FileRecord[] = [];
  for await (const batch of csvRowBatches(rows)) {
    for (const cells of batch) records.push(shared.record(fileRecord(cells, source)));
  }
  return records;
}

/**
 * One string for the values that repeat row after row: the session ID (rows come grouped by
 * session), the status and the reason (a handful of values). A session's rows are held until
 * it is compared, and outlive young-generation collections: each string shared is memory the
 * run does not promote, and the heap grows less.
 */
class SharedStrings {
  private sessionId = '';
  private readonly few = new Map<string, string>();

  record(record: FileRecord): FileRecord {
    if (record.session_id === this.sessionId) record.session_id = this.sessionId;
    else this.sessionId = record.session_id;
    record.status = this.shared(record.status);
    if (record.reason !== null) record.reason = this.shared(record.reason);
    return record;
  }

  /** Statuses and reasons are few; past a bound (a damaged file) values are simply not shared. */
  private shared(value: string): string {
    const known = this.few.get(value);
    if (known !== undefined) return known;
    if (this.few.size < 256) this.few.set(value, value);
    return value;
  }
}
