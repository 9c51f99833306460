/**
 * A token bucket: `rate` requests per second on average, bursts up to one second's worth.
 * Stands in for the gateway limit the vendor does not document but clients must survive.
 */

/** Decides, request by request, whether the limit is exceeded. */
export class TokenBucket {
  private rate = 0;
  private tokens = 0;
  private refilledAt = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Takes a token; false when none is left. No limit when `rate` is undefined or not positive. */
  take(rate: number | undefined): boolean {
    if (rate === undefined || !(rate > 0)) return true;
    const now = this.clock();
    const capacity = Math.max(1, rate);
    if (rate !== this.rate) {
      // A changed limit starts with a full bucket, as a freshly configured gateway would.
      [this.rate, this.tokens, this.refilledAt] = [rate, capacity, now];
    }
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
