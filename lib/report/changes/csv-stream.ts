/**
 * Reads a report CSV as it streams (papaparse's streaming parser), one row of cells at a time,
 * so a million-row files.csv never sits in memory. The source is a store `readStream`, or the
 * spilled rows of one session.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';

/** The rows of CSV text arriving in `chunks` (header included), cells as written. */
export async function* csvRowsOf(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string[]> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { newline: '\r\n', skipEmptyLines: true });
  // pipeline (not pipe) so a failing source fails the iteration instead of ending it early.
  const piping = pipeline(Readable.from(chunks), parser);
  piping.catch(() => {});
  for await (const row of parser as AsyncIterable<string[]>) yield row;
  await piping;
}

/** The rows after the header; `expected` is the header the file must start with, `source` names it in errors. */
export async function* csvBodyOf(
  chunks: AsyncIterable<string | Uint8Array>,
  expected: readonly string[],
  source: string,
): AsyncGenerator<string[]> {
  let header = true;
  for await (const row of csvRowsOf(chunks)) {
    if (header) {
      if (expected.some((name, index) => row[index] !== name)) {
        throw new Error(`${source}: unexpected header (expected ${expected.join(',')})`);
      }
      header = false;
      continue;
    }
    yield row;
  }
  if (header) throw new Error(`${source}: empty (no header row)`);
}
