/**
 * Drops entries already given by the previous page: with offset paging, an insert before an
 * entry shifts it onto the next page. Only adjacent pages can overlap that way, so memory stays
 * one page, not one set of every ID. Entries without an ID are never taken for duplicates.
 */
export class PageDeduplicator<T> {
  private previous = new Set<string>();
  constructor(private readonly idOf: (entry: T) => string | undefined) {}

  next(entries: readonly T[]): T[] {
    const current = new Set<string>();
    const fresh: T[] = [];
    for (const entry of entries) {
      const id = this.idOf(entry);
      if (id !== undefined) {
        if (this.previous.has(id) || current.has(id)) continue;
        current.add(id);
      }
      fresh.push(entry);
    }
    this.previous = current;
    return fresh;
  }
}
