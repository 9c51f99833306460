/** The bytes of composed pieces, read in order from a store: the streamed way to compose. */
import { StoreError } from './errors';
import type { Piece, ReportStore } from './store';

/**
 * Yields each piece's bytes in order, opening a key only when its turn comes (so one source
 * stream is open at a time). A missing key throws a `StoreError` naming it, which fails the
 * write consuming this.
 */
export async function* concatPieces(
  store: ReportStore,
  pieces: readonly Piece[],
): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if ('text' in piece) {
      if (piece.text !== '') yield Buffer.from(piece.text, 'utf8');
      continue;
    }
    const source = await store.readStream(piece.key);
    if (source === undefined) {
      throw new StoreError(`Cannot compose from "${piece.key}" in ${store.location}: it does not exist`);
    }
    yield* source;
  }
}
