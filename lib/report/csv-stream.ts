/**
 * Reads a report CSV as it streams, in batches of rows (one batch per chunk of input), so a
 * million-row files.csv never sits in memory and the rows cost no promise each.
 *
 * papaparse parses; this file feeds it and pulls from it:
 * - bytes are decoded here, with a streaming decoder: papaparse decodes each chunk on its own,
 *   which breaks a character whose UTF-8 bytes straddle two chunks (file names are any text);
 * - papaparse's `chunk` callback with pause/resume gives backpressure: the parser pauses after
 *   every batch and resumes when the batch has been consumed. (Its NODE_STREAM_INPUT duplex
 *   pushes every row through an object-mode stream: about ten times slower at a million rows.)
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';

type Chunks = AsyncIterable<string | Uint8Array>;

/** The rows of the CSV text in `chunks` (a header, if any, is the first row), batch by batch. */
export async function* csvRowBatches(chunks: Chunks): AsyncGenerator<string[][]> {
  const batches: string[][][] = [];
  let state: { done: boolean; failure?: { error: unknown } } = { done: false };
  let wake: (() => void) | undefined;
  let parser: Papa.Parser | undefined;
  const config: Papa.ParseRemoteConfig<string[]> | Papa.ParseConfig<string[]> = {
    newline: '\r\n',
    skipEmptyLines: true,
    chunk: (results: Papa.ParseResult<string[]>, handle: Papa.Parser) => {
      batches.push(results.data);
      parser = handle;
      handle.pause();
      wake?.();
    },
    complete: () => {
      state = { ...state, done: true };
      wake?.();
    },
    error: (error: unknown) => {
      state = { done: true, failure: { error } };
      wake?.();
    },
  };
  // papaparse reads a Node Readable through its ReadableStreamStreamer (its types only name File).
  Papa.parse(
    Readable.from(decoded(chunks)) as unknown as File,
    config as Papa.ParseLocalConfig<string[], File>,
  );
  for (;;) {
    const batch = batches.shift();
    if (batch) {
      if (batch.length > 0) yield batch;
      continue;
    }
    if (state.failure) throw state.failure.error;
    if (state.done) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
      parser?.resume();
    });
    wake = undefined;
  }
}

/** The batches after the header row, which must start with `expected`; `source` names the file in errors. */
export async function* csvBodyBatches(
  chunks: Chunks,
  expected: readonly string[],
  source: string,
): AsyncGenerator<string[][]> {
  let header = true;
  for await (const batch of csvRowBatches(chunks)) {
    if (header) {
      const first = batch[0]!;
      if (expected.some((name, index) => first[index] !== name)) {
        throw new Error(`${source}: unexpected header (expected ${expected.join(',')})`);
      }
      header = false;
      if (batch.length > 1) yield batch.slice(1);
      continue;
    }
    yield batch;
  }
  if (header) throw new Error(`${source}: empty (no header row)`);
}

async function* decoded(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
