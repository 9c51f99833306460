/**
 * The first `limit` entries of a stream in a given order, kept as the entries go by: a panel
 * shows the top of a list whose length the page must not depend on (a workspace may have
 * hundreds of thousands of sessions), so memory stays at `limit` entries.
 */
export class TopList<T> {
  private readonly entries: T[] = [];
  private seen = 0;

  /** `before(a, b)`: a comes first. */
  constructor(
    private readonly limit: number,
    private readonly before: (a: T, b: T) => boolean,
  ) {}

  add(entry: T): void {
    this.seen++;
    const index = this.entries.findIndex((other) => this.before(entry, other));
    if (index === -1) {
      if (this.entries.length < this.limit) this.entries.push(entry);
      return;
    }
    this.entries.splice(index, 0, entry);
    if (this.entries.length > this.limit) this.entries.pop();
  }

  /** The kept entries, first first. */
  get top(): T[] {
    return [...this.entries];
  }

  /** How many entries were added in all (kept or not). */
  get total(): number {
    return this.seen;
  }
}
