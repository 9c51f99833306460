/** Errors raised by the report stores. */

/** A store operation failed; the message names the operation, the key and the location. */
export class StoreError extends Error {
  override name = 'StoreError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A key (or prefix) broke the key rules of `./keys`; `key` is the rejected input. */
export class InvalidKeyError extends StoreError {
  override name = 'InvalidKeyError';

  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Invalid store key ${describeKey(key)}: ${reason}`);
  }
}

/** JSON-quoted (so control characters show), and cut short so a huge key can't flood a log. */
function describeKey(key: string): string {
  const quoted = JSON.stringify(key);
  return quoted.length > 200 ? `${quoted.slice(0, 200)}…(${quoted.length} chars)` : quoted;
}
