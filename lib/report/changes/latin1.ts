/**
 * File rows are read as latin1 text (one character per byte; see ./file-row-scanner): how bytes
 * become that text, and how its cells become the UTF-8 text they are.
 */
type Chunks = AsyncIterable<Uint8Array | string>;

/** At most this many bytes of text at a time (a larger string would skip the young generation). */
const SLICE_BYTES = 64 << 10;
const NOT_ASCII = /[^\x00-\x7f]/;

/** The bytes of `chunks` (UTF-8; text chunks are encoded) as latin1 text, slice by slice. */
export async function* latin1Text(chunks: Chunks): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
      yield bytes.toString('latin1', at, Math.min(at + SLICE_BYTES, bytes.length));
    }
  }
}

/** A cell of latin1 text as the UTF-8 text it is. */
export function utf8(cell: string): string {
  return NOT_ASCII.test(cell) ? Buffer.from(cell, 'latin1').toString('utf8') : cell;
}

/** `text` as the latin1 text of its UTF-8 bytes (what the scanner's keys are made of). */
export function asLatin1(text: string): string {
  return NOT_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}
