/**
 * Reading report CSVs as a stream: text split anywhere (inside a quoted cell, inside a
 * character's UTF-8 bytes) reads back exactly as written by the report's encoder; a failing
 * source is an error; and the parser stays at most a batch or so ahead of its reader.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NASTY_FILE_NAMES } from '../../emulator/names';
import { sessionRows } from '../../lib/report/changes';
import { FILE_COLUMNS } from '../../lib/report/columns';
import { csvHeader, csvRows } from '../../lib/report/csv';
import { csvRowBatches } from '../../lib/report/csv-stream';
import { SpillBuffer } from '../../lib/report/spill-buffer';

const rowsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    's',
    `id-${i}`,
    NASTY_FILE_NAMES[i % NASTY_FILE_NAMES.length]!,
    'FAILED',
    null,
  ]);
const text = csvHeader(FILE_COLUMNS) + csvRows(rowsOf(200));
const expected = [
  [...FILE_COLUMNS],
  ...rowsOf(200).map((row) => row.map((c) => (c === null ? '' : /^[=+\-@\t\r\0]/.test(c) ? `'${c}` : c))),
];

async function* pieces(bytes: Uint8Array, size: number, pulled = { count: 0 }): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    pulled.count++;
    yield bytes.subarray(at, at + size);
  }
}

/** A session's rows read back (by the comparison's reader) as records. */
async function recordsOf(chunks: AsyncIterable<string | Uint8Array>) {
  const rows = await sessionRows(chunks, 'session s');
  return Array.from({ length: rows.length }, (_, index) => rows.record(index));
}

async function all(batches: AsyncIterable<string[][]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

describe('csvRowBatches', () => {
  it.each([1, 7, 64, 4096])('reads back every cell when the bytes arrive %i at a time', async (size) => {
    const bytes = new TextEncoder().encode(text);
    expect(await all(csvRowBatches(pieces(bytes, size)))).toEqual(expected);
  });

  it('keeps a character whose bytes straddle two chunks', async () => {
    const bytes = new TextEncoder().encode('a,日本語\r\n');
    // 日 is three bytes: split after the first of them.
    const split = [bytes.subarray(0, 3), bytes.subarray(3)];
    async function* two() {
      yield* split;
    }
    expect(await all(csvRowBatches(two()))).toEqual([['a', '日本語']]);
  });

  it('fails when its source fails', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('a,b\r\n');
      throw new Error('connection reset');
    }
    await expect(all(csvRowBatches(broken()))).rejects.toThrow('connection reset');
  });

  it('pulls its source only as fast as the batches are read', async () => {
    const bytes = new TextEncoder().encode(text);
    const pulled = { count: 0 };
    const batches = csvRowBatches(pieces(bytes, 512, pulled));
    await batches.next();
    const total = Math.ceil(bytes.length / 512);
    expect(total).toBeGreaterThan(20);
    expect(pulled.count).toBeLessThan(5);
    await batches.return(undefined);
  });

  it('pulls no further while its reader is busy elsewhere (a baseline read as the run goes)', async () => {
    const bytes = new TextEncoder().encode(text.repeat(20));
    const pulled = { count: 0 };
    const batches = csvRowBatches(pieces(bytes, 512, pulled));
    await batches.next();
    // The reader does other work for a while: nothing may pile up in memory meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Math.ceil(bytes.length / 512)).toBeGreaterThan(400);
    expect(pulled.count).toBeLessThan(5);
    await batches.return(undefined);
  });
});

describe('sessionRows', () => {
  it("reads a session's rows back from the run's spill buffer (spilled to disk and in memory)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-records-'));
    const buffer = new SpillBuffer(dir, 2048);
    try {
      for (let page = 0; page < 4; page++) await buffer.append(csvRows(rowsOf(50)));
      const records = await recordsOf(buffer.read());
      expect(records).toHaveLength(200);
      expect(records[3]).toEqual({
        session_id: 's',
        file_ingestion_id: 'id-3',
        name: expected[4]![2],
        status: 'FAILED',
        reason: null,
      });
      await expect(recordsOf(buffer.read())).resolves.toEqual(records);
      await expect(sessionRows(pieces(new TextEncoder().encode('a,b\r\n'), 99), 'session s')).rejects.toThrow(
        'session s: a row has 2 cells, expected 5',
      );
    } finally {
      await buffer.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
