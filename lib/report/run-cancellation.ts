/**
 * Ends a failed run's work in flight. Once any part of a run fails for good, the run is lost,
 * so its other requests must not keep going (or retrying, for minutes) in the background: the
 * first failure aborts the run's signal, which the client honours for requests waiting for a
 * slot, waiting to retry, or in flight.
 *
 * Requests cancelled this way reject with a `RunCancelledError`, which is never the reason a
 * run failed: `failureOr` gives back the first real failure, whichever rejection arrives first.
 */
import { setMaxListeners } from 'node:events';

export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor(cause: unknown) {
    super('cancelled: another part of the run failed', { cause });
  }
}

export class RunCancellation {
  readonly #controller = new AbortController();
  #failure: { error: unknown } | undefined;
  readonly #unlink: () => void;

  /** @param parent cancels the run too (e.g. an enclosing run that failed), with its reason. */
  constructor(parent?: AbortSignal) {
    // Every request of the run listens to this signal while it is under way: many at once is
    // the normal case here, not a leak worth Node's warning on stderr.
    setMaxListeners(0, this.#controller.signal);
    const onParentAbort = () => this.fail(parent?.reason);
    if (parent?.aborted) onParentAbort();
    else parent?.addEventListener('abort', onParentAbort, { once: true });
    this.#unlink = () => parent?.removeEventListener('abort', onParentAbort);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Records the run's failure (the first one counts) and cancels everything still in flight. */
  readonly fail = (error: unknown): void => {
    if (this.#failure) return;
    this.#failure = { error: error instanceof RunCancelledError ? error.cause : error };
    this.#controller.abort(new RunCancelledError(this.#failure.error));
  };

  /** The run's first real failure, or `error` when nothing failed before it. */
  failureOr(error: unknown): unknown {
    if (this.#failure) return this.#failure.error;
    return error instanceof RunCancelledError ? error.cause : error;
  }

  /** Unhooks from the parent; call when the run is over. */
  dispose(): void {
    this.#unlink();
  }
}
