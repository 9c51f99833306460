/**
 * File rows read back: a whole files.csv / failed_files.csv (header first) as a stream of
 * batches, or one session's rows as a run holds them before writing (CSV text with no header,
 * in its spill buffer), which is how a run feeds its own side to the merge: both sides then
 * compare cells exactly as the CSVs carry them.
 */
import { FILE_COLUMNS } from '../columns';
import type { FileRecord } from './columns';
import { FileRowScanner } from './file-row-scanner';
import { type FileRows, SessionFiles } from './file-rows';
import { latin1Text } from './latin1';

type Chunks = AsyncIterable<Uint8Array | string>;

/** The rows of a files.csv / failed_files.csv body (header first), batch by batch. */
export async function* fileRows(body: Chunks, source: string): AsyncGenerator<FileRows> {
  let header = true;
  for await (const batch of rowBatches(body, source)) {
    if (header) {
      checkHeader(batch.record(0), source);
      header = false;
      if (batch.length > 1) yield new Rest(batch);
      continue;
    }
    yield batch;
  }
  if (header) throw new Error(`${source}: empty (no header row)`);
}

/** One session's rows (CSV text without a header, e.g. `SpillBuffer.read()`). */
export async function sessionRows(rows: Chunks, source: string): Promise<SessionFiles> {
  const files = new SessionFiles();
  for await (const batch of rowBatches(rows, source)) {
    for (let index = 0; index < batch.length; index++) files.add(batch, index);
  }
  return files;
}

/** The rows of `chunks`, one batch per chunk of text (empty batches left out). */
async function* rowBatches(chunks: Chunks, source: string): AsyncGenerator<FileRows> {
  const scanner = new FileRowScanner(source);
  for await (const text of latin1Text(chunks)) {
    const batch = scanner.rows(text);
    if (batch.length > 0) yield batch;
  }
  const rest = scanner.end();
  if (rest.length > 0) yield rest;
}

function checkHeader(first: FileRecord, source: string): void {
  const cells = [first.session_id, first.file_ingestion_id, first.name, first.status, first.reason];
  if (FILE_COLUMNS.some((name, index) => cells[index] !== name)) {
    throw new Error(`${source}: unexpected header (expected ${FILE_COLUMNS.join(',')})`);
  }
}

/** A batch without its first row (the header). */
class Rest implements FileRows {
  constructor(private readonly rows: FileRows) {}
  get length(): number {
    return this.rows.length - 1;
  }
  sessionId(index: number): string {
    return this.rows.sessionId(index + 1);
  }
  key(index: number): string {
    return this.rows.key(index + 1);
  }
  status(index: number): string {
    return this.rows.status(index + 1);
  }
  record(index: number): FileRecord {
    return this.rows.record(index + 1);
  }
}
