/** Turns any `Body` into a stream of byte chunks, optionally stopped by an AbortSignal. */
import type { Body } from './store';

/**
 * The body as UTF-8 byte chunks. A chunk that is neither a string nor bytes is a TypeError
 * (callers in plain JS could pass anything).
 */
export async function* bodyChunks(body: Body): AsyncGenerator<Uint8Array> {
  if (typeof body === 'string') {
    yield Buffer.from(body, 'utf8');
    return;
  }
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  if (body == null || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw new TypeError('body must be a string, a Uint8Array or an async iterable of them');
  }
  for await (const chunk of body) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else if (chunk instanceof Uint8Array) yield chunk;
    else throw new TypeError(`body chunk must be a string or a Uint8Array, got ${typeof chunk}`);
  }
}

/**
 * Yields what `source` yields until `signal` aborts, then throws `signal.reason`, even while
 * the source is stuck waiting (so a hung producer cannot hold a write open forever).
 */
export async function* abortable<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  if (signal === undefined) {
    yield* source;
    return;
  }
  signal.throwIfAborted();
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  let finished = false;
  try {
    while (true) {
      const result = await Promise.race([iterator.next(), aborted]);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a source stuck in next() would otherwise keep us stuck here too.
    if (!finished) iterator.return?.()?.catch(() => {});
  }
}
