/**
 * Reads a report CSV as it streams, in batches of rows (one batch per chunk of input), so a
 * million-row files.csv never sits in memory and the rows cost no promise each.
 *
 * papaparse parses; this file feeds it and pulls from it:
 * - bytes are decoded here, with a streaming decoder: papaparse decodes each chunk on its own,
 *   which breaks a character whose UTF-8 bytes straddle two chunks (file names are any text);
 * - each chunk goes to papaparse's core `Parser` when the reader asks for the next batch, and
 *   the part of a row it ends in is kept for the next one (as papaparse's own streamers do).
 *   Nothing is read ahead: a reader busy elsewhere (a run comparing with its baseline as it
 *   goes) leaves the source unread. (papaparse's stream input keeps reading while its parser
 *   is paused, so a slow reader found the whole file in memory; its NODE_STREAM_INPUT duplex
 *   pushes every row through an object-mode stream: about ten times slower at a million rows.)
 */
import Papa from 'papaparse';

type Chunks = AsyncIterable<string | Uint8Array>;

/** The rows of the CSV text in `chunks` (a header, if any, is the first row), batch by batch. */
export async function* csvRowBatches(chunks: Chunks): AsyncGenerator<string[][]> {
  const parser = new Papa.Parser({ delimiter: ',', newline: '\r\n', quoteChar: '"' });
  let partial = '';
  for await (const text of decoded(chunks)) {
    const input = partial + text;
    // The last row may be cut: left out of this batch, and parsed again with the next chunk.
    const parsed = parser.parse(input, 0, true) as Papa.ParseResult<string[]>;
    partial = input.substring(parsed.meta.cursor);
    const rows = withoutEmptyLines(parsed.data);
    if (rows.length > 0) yield rows;
  }
  if (partial === '') return;
  const rows = withoutEmptyLines((parser.parse(partial, 0, false) as Papa.ParseResult<string[]>).data);
  if (rows.length > 0) yield rows;
}

/** An empty line reads as one empty cell; the report's CSVs have no one-column rows. */
function withoutEmptyLines(rows: string[][]): string[][] {
  return rows.filter((row) => row.length > 1 || row[0] !== '');
}

/**
 * Text at most SLICE_BYTES at a time: a larger string (a session's rows held in memory come as
 * one chunk of up to a mebibyte) would be allocated outside the young generation, and each one
 * would wait for a full collection to be freed.
 */
const SLICE_BYTES = 64 << 10;

async function* decoded(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      if (chunk !== '') yield chunk;
      continue;
    }
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
      const text = decoder.decode(chunk.subarray(at, at + SLICE_BYTES), { stream: true });
      if (text !== '') yield text;
    }
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
