/**
 * Lets the run's requests reach the client in report order: a request for an earlier session
 * goes before one for a later session, whenever both wait.
 *
 * Why: sessions are read concurrently but written strictly in order, so whatever a later
 * session fetched early waits in memory (or a spill file) until every earlier session is
 * written. In plain arrival order (the client's FIFO), every session in the read-ahead window
 * advances at once and the waiting rows pile up across all of them; in report order the
 * session being written gets the slots first, its rows leave as soon as it completes, and later
 * sessions only use slots it cannot fill (e.g. while its first page, which gives `total`, is
 * on its way). Throughput is the same: the gate never leaves a slot idle while anything waits.
 */
interface Waiter {
  priority: number;
  admit: () => void;
}

export class PriorityGate {
  /** Sorted by priority, then arrival (a binary insert keeps equal priorities in FIFO order). */
  readonly #waiting: Waiter[] = [];
  #running = 0;

  /**
   * @param capacity how many tasks may run at once, read on every admission so it can follow
   *   an adaptive limit.
   */
  constructor(private readonly capacity: () => number) {}

  /** Runs `task` once admitted; lower `priority` is admitted first. */
  async run<T>(priority: number, task: () => Promise<T>): Promise<T> {
    if (this.#waiting.length === 0 && this.#running < this.capacity()) this.#running++;
    else await this.#wait(priority);
    try {
      return await task();
    } finally {
      this.#running--;
      this.#admit();
    }
  }

  #wait(priority: number): Promise<void> {
    return new Promise((admit) => {
      const waiting = this.#waiting;
      let low = 0;
      let high = waiting.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (waiting[middle]!.priority <= priority) low = middle + 1;
        else high = middle;
      }
      waiting.splice(low, 0, { priority, admit });
    });
  }

  #admit(): void {
    while (this.#waiting.length > 0 && this.#running < this.capacity()) {
      this.#running++;
      this.#waiting.shift()!.admit();
    }
  }
}
