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
  for await (const batch of csvBodyBatches(body, FILE_COLUMNS, source)) {
    yield batch.map((cells) => fileRecord(cells, source));
  }
}

/** One session's rows (CSV text without a header, e.g. `SpillBuffer.read()`) as records. */
export async function sessionRecords(rows: Chunks, source: string): Promise<FileRecord[]> {
  const records: FileRecord[] = [];
  for await (const batch of csvRowBatches(rows)) {
    for (const cells of batch) records.push(fileRecord(cells, source));
  }
  return records;
}
