/**
 * Errors raised by the report stores. A store failure must tell whoever runs the report where
 * it failed and why in one line (`could not write s3://bucket/prefix/key: NoSuchBucket`), so
 * the cause is reduced to a code: S3's error code or the system's (ECONNREFUSED, ENOTDIR, ...).
 * Codes are identifiers only; messages from S3 or the network never reach that line.
 */

/** A store operation failed; the message names the operation and the full path of the object. */
export class StoreError extends Error {
  override name = 'StoreError';
  /** S3's or the system's error code of the cause; undefined when the cause was not the storage. */
  readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = options?.cause === undefined ? undefined : storageErrorCode(options.cause);
  }

  /** `could not <operation> <where>: <code>`, with the code of `cause` when it has one. */
  static of(operation: string, where: string, cause: unknown): StoreError {
    const code = storageErrorCode(cause);
    return new StoreError(`could not ${operation} ${where}${code ? `: ${code}` : ''}`, { cause });
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

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * The error code of a storage failure: an S3 error (its `Code` or name, e.g. NoSuchBucket,
 * AccessDenied), a system error (ECONNREFUSED, EACCES; also inside an AggregateError, as Node
 * reports a refused connection to every address of a host), an SDK timeout or missing
 * credentials. undefined for anything else (a failing body source, a bug).
 */
export function storageErrorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const e = error as {
    name?: unknown;
    code?: unknown;
    Code?: unknown;
    $metadata?: unknown;
    errors?: unknown;
  };
  if (error instanceof StoreError) return error.code ?? storageErrorCode(error.cause, depth + 1);
  // Before $metadata: the SDK adds $metadata to socket errors too.
  if (typeof e.code === 'string' && /^E[A-Z0-9_]+$/.test(e.code)) return e.code;
  if (e.$metadata !== undefined) return identifier(e.Code) ?? identifier(e.name);
  if (e.name === 'TimeoutError' || e.name === 'CredentialsProviderError') return e.name;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = storageErrorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return undefined;
}

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) && value !== 'Error' ? value : undefined;
}

/** JSON-quoted (so control characters show), and cut short so a huge key can't flood a log. */
function describeKey(key: string): string {
  const quoted = JSON.stringify(key);
  return quoted.length > 200 ? `${quoted.slice(0, 200)}…(${quoted.length} chars)` : quoted;
}
