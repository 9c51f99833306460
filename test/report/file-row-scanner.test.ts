/**
 * The comparison's own reader of file rows reads what papaparse reads: every record and key of
 * rows with nasty names (non-ASCII, commas, quotes, line breaks, formula-like text, no ID, a
 * reason or none, a non-ASCII session ID), whatever the bytes are cut into (inside a quoted
 * cell, inside a line break, inside a character's UTF-8 bytes); and a malformed row is an error
 * naming its source.
 */
import { describe, expect, it } from 'vitest';
import { NASTY_FILE_NAMES } from '../../emulator/names';
import { diffSession, type FileRecord, fileRows, RecordRows, sessionRows } from '../../lib/report/changes';
import { FILE_COLUMNS } from '../../lib/report/columns';
import { csvHeader, csvRows } from '../../lib/report/csv';
import { csvRowBatches } from '../../lib/report/csv-stream';

const REASONS = [null, 'FILE NAME TOO LONG. MAX LENGTH IS 800', 'über "quoted", reason\r\nnext'];
const rows = Array.from({ length: 90 }, (_, i) => [
  i < 45 ? 'session-a' : 'séssion-b',
  i % 4 === 3 ? null : `id-${i}`,
  NASTY_FILE_NAMES[i % NASTY_FILE_NAMES.length]!,
  i % 3 === 0 ? 'FAILED' : 'FINISHED',
  REASONS[i % REASONS.length]!,
]);
const body = new TextEncoder().encode(csvRows(rows));

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** A files.csv row's cells (as papaparse reads them) as a record. */
function fileRecord(cells: readonly string[]): FileRecord {
  expect(cells).toHaveLength(FILE_COLUMNS.length);
  const [session_id, id, name, status, reason] = cells as [string, string, string, string, string];
  return { session_id, file_ingestion_id: id || null, name, status, reason: reason || null };
}

/** The records as papaparse reads the same text. */
async function papaparseRecords(): Promise<FileRecord[]> {
  const records: FileRecord[] = [];
  for await (const batch of csvRowBatches(pieces(body, 1 << 20))) {
    for (const cells of batch) records.push(fileRecord(cells));
  }
  return records;
}

describe('the file row scanner', () => {
  it.each([1, 2, 3, 5, 64, 1 << 20])(
    'reads the same records and keys as papaparse when the bytes arrive %i at a time',
    async (size) => {
      const expected = await papaparseRecords();
      expect(expected).toHaveLength(rows.length);
      const read = await sessionRows(pieces(body, size), 'x');
      const keys = new RecordRows(expected);
      expect(read.length).toBe(expected.length);
      for (let index = 0; index < read.length; index++) {
        expect(read.record(index)).toEqual(expected[index]);
        expect(read.sessionId(index)).toBe(expected[index]!.session_id);
        expect(read.status(index)).toBe(expected[index]!.status);
        expect(read.key(index)).toBe(keys.key(index));
      }
    },
  );

  it('reads a last row without a line break, and names the source of a malformed row', async () => {
    const text = new TextEncoder().encode('s,1,"a ""b""",FAILED,r');
    const read = await sessionRows(pieces(text, 3), 'x');
    expect(read.record(0)).toEqual({
      session_id: 's',
      file_ingestion_id: '1',
      name: 'a "b"',
      status: 'FAILED',
      reason: 'r',
    });
    const bad = (csv: string) => sessionRows(pieces(new TextEncoder().encode(csv), 4), 'y/files.csv');
    await expect(bad('s,1,a,FAILED\r\n')).rejects.toThrow('y/files.csv: a row has 4 cells, expected 5');
    await expect(bad('s,1,a,FAILED,r,x\r\n')).rejects.toThrow('y/files.csv: a row has 6 cells, expected 5');
    await expect(bad('s,1,"a,FAILED,r\r\n')).rejects.toThrow('y/files.csv: a quoted cell is not closed');
    await expect(bad('s,1,"a"b,FAILED,r\r\n')).rejects.toThrow('y/files.csv: text after a quoted cell');
  });

  it('checks the header of a whole file', async () => {
    const whole = new TextEncoder().encode(csvHeader(FILE_COLUMNS) + csvRows(rows.slice(0, 3)));
    let count = 0;
    for await (const batch of fileRows(pieces(whole, 7), 'z/files.csv')) count += batch.length;
    expect(count).toBe(3);
    const wrong = new TextEncoder().encode('a,b,c,d,e\r\n');
    await expect(fileRows(pieces(wrong, 7), 'z/files.csv').next()).rejects.toThrow(
      'z/files.csv: unexpected header (expected session_id,file_ingestion_id,name,ingestion_status,ingestion_status_reason)',
    );
    await expect(fileRows(pieces(new Uint8Array(), 1), 'z/files.csv').next()).rejects.toThrow(
      'z/files.csv: empty (no header row)',
    );
  });

  it('matches rows read from bytes with the same files held as records (names without an ID, any text)', async () => {
    const expected = await papaparseRecords();
    const read = await sessionRows(pieces(body, 5), 'x');
    expect(diffSession(expected, read)).toEqual([]);
    const changed = expected.map((record, index) =>
      index === 7 ? { ...record, status: 'PENDING' } : record,
    );
    expect(diffSession(changed, read)).toEqual([
      expect.objectContaining({
        name: expected[7]!.name,
        previous_status: 'PENDING',
        change: 'status_changed',
      }),
    ]);
  });
});
