/**
 * The progress line of a `--fanout` run: each step has its own client, as each Lambda
 * invocation does, so the line shows their stats added up, live. Clients join as the steps
 * start (the fan-out announces each one through its `onClient` callback).
 */
import type { ClientStats, LongWait } from '../../lib/api';

export class CombinedStats implements ClientStats {
  readonly #parts: ClientStats[] = [];

  /** Counts `stats` (a client's live counters) from now on. */
  add(stats: ClientStats): void {
    this.#parts.push(stats);
  }

  #sum(pick: (stats: ClientStats) => number): number {
    return this.#parts.reduce((n, stats) => n + pick(stats), 0);
  }

  get requests() {
    return this.#sum((s) => s.requests);
  }
  get retries() {
    return this.#sum((s) => s.retries);
  }
  get throttled() {
    return this.#sum((s) => s.throttled);
  }
  get inFlight() {
    return this.#sum((s) => s.inFlight);
  }
  get concurrencyLimit() {
    return this.#sum((s) => s.concurrencyLimit);
  }
  get maxInFlight() {
    return Math.max(0, ...this.#parts.map((s) => s.maxInFlight));
  }
  /** The long wait that ends last, of any client. */
  get longWait() {
    const waits = this.#parts.flatMap((s) => (s.longWait ? [s.longWait] : []));
    return waits.reduce<LongWait | undefined>((a, b) => (a && a.endsAt >= b.endsAt ? a : b), undefined);
  }
}
