/**
 * Waiting for one of several promises in flight while any of them may fail first. Each promise
 * gets its rejection handler the moment it is watched (a rejection nobody handles yet kills the
 * process), and a wait ends at once with the first failure of any watched promise, instead of
 * when the failed one's turn comes.
 *
 * Not `Promise.race([promise, failed])` with one long-lived `failed` promise: every race leaves
 * a reaction on `failed` that keeps the race's settled promise, and so its value, reachable
 * until `failed` settles, i.e. every value waited for would stay in memory.
 */
export class FailFast {
  #failure: { error: unknown } | undefined;
  #interrupt: (error: unknown) => void = () => {};

  /** Handles `promise` from now on; returns it. */
  watch<T>(promise: Promise<T>): Promise<T> {
    promise.catch((error: unknown) => {
      this.#failure ??= { error };
      this.#interrupt(this.#failure.error);
    });
    return promise;
  }

  /** `promise`'s value, or the first failure of any watched promise, whichever comes first. */
  async wait<T>(promise: Promise<T>): Promise<T> {
    try {
      return await new Promise<T>((resolve, reject) => {
        if (this.#failure) return reject(this.#failure.error);
        this.#interrupt = reject;
        promise.then(resolve, reject);
      });
    } finally {
      this.#interrupt = () => {};
    }
  }
}
