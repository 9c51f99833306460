/**
 * An adaptive concurrency limit (AIMD, as TCP does): halve on a 429, add one back after a
 * window of successes, never above the configured maximum.
 *
 * Hand-written on purpose: p-limit / p-queue are not dependencies here, and none of the small
 * semaphore packages adapts its limit at run time or reports the highest concurrency reached,
 * which is what the stats and the tests need. It is a plain FIFO semaphore plus two counters.
 */

/** How an attempt that held a slot ended, as far as the limit is concerned. */
export type SlotOutcome = 'success' | 'throttled' | 'other';

/** Gives the slot back; call exactly once (later calls are ignored). */
export type ReleaseSlot = (outcome: SlotOutcome) => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
}

/** One per client: every request of a run takes a slot for the duration of one HTTP attempt. */
export class AdaptiveLimiter {
  readonly max: number;
  #limit: number;
  #inFlight = 0;
  #maxInFlight = 0;
  #successes = 0;
  /**
   * Bumped on every decrease. A burst of 429s answering requests that were all sent before the
   * decrease is one congestion signal, not many: only a request sent in the current epoch may
   * halve the limit again (otherwise 16 parallel 429s would take 16 straight to 1).
   */
  #epoch = 0;
  readonly #queue: Waiter[] = [];

  constructor(max: number) {
    this.max = max;
    this.#limit = max;
  }

  /** The current (adaptive) limit. */
  get limit(): number {
    return this.#limit;
  }
  get inFlight(): number {
    return this.#inFlight;
  }
  /** The highest number of slots ever held at once. */
  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  /** Waits for a free slot (FIFO). Rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queue.length === 0 && this.#inFlight < this.#limit) return Promise.resolve(this.#take());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #take(): ReleaseSlot {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    const epoch = this.#epoch;
    let released = false;
    return (outcome) => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#adapt(outcome, epoch);
      this.#drain();
    };
  }

  #adapt(outcome: SlotOutcome, epoch: number): void {
    if (outcome === 'throttled' && epoch === this.#epoch) {
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#successes = 0;
      this.#epoch++;
    } else if (outcome === 'success' && this.#limit < this.max && ++this.#successes >= this.#limit) {
      this.#limit++;
      this.#successes = 0;
    }
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#limit) {
      this.#queue.shift()?.grant(this.#take());
    }
  }
}
