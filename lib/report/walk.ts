/**
 * Lists every entry of a paginated endpoint in one stable order, with the fewest requests and
 * as many in flight as the client allows, without ever emitting a duplicate or silently losing
 * an entry when the data changes under us.
 *
 * Fast path: the first page gives `total`, so pages 2..n are fetched in parallel by
 * `page_number` and emitted in order. The walk is accepted only if it is consistent: every page
 * reports the same `total`, full pages are full, the last page says `has_more: false`, and the
 * number of distinct IDs equals `total`. Otherwise the data changed during the walk, and it is
 * redone with `after` cursors, which are immune to inserts and deletes elsewhere in the list.
 */
import { ValidationError } from '../api';
import { MAX_PAGE_LIMIT } from '../api/enums';
import type { Page } from '../api/schemas';
import { FailFast } from './fail-fast';

export interface PageQuery {
  limit: number;
  page_number?: number;
  after?: string;
}

export interface WalkOptions<T> {
  fetchPage(query: PageQuery): Promise<Page<T>>;
  /** The entry's ID; entries without one are never taken for duplicates. */
  idOf(entry: T): string | undefined;
  /** Receives the entries in order, deduplicated, a page at a time. */
  onEntries(entries: T[]): void | Promise<void>;
  /** Discards everything onEntries received so far (the walk starts again). */
  onRestart(): void | Promise<void>;
  /** A first page already fetched (limit 100, no page_number or cursor). */
  firstPage?: Page<T>;
  /** Pages requested ahead of the one being emitted; bounds memory. */
  window?: number;
  /** Cursor walks tried after an inconsistent fast walk before giving up. */
  maxCursorWalks?: number;
}

export interface WalkResult {
  count: number;
  mode: 'pages' | 'cursor';
}

/** Thrown when the listing kept changing faster than it could be read consistently. */
export class InconsistentListingError extends Error {
  override name = 'InconsistentListingError';
}

export async function walkAll<T>(options: WalkOptions<T>): Promise<WalkResult> {
  const first = options.firstPage ?? (await options.fetchPage({ limit: MAX_PAGE_LIMIT }));
  const count = await walkPages(options, first);
  if (count !== undefined) return { count, mode: 'pages' };
  return { count: await walkCursors(options), mode: 'cursor' };
}

/** The parallel page_number walk; undefined when it turned out inconsistent. */
async function walkPages<T>(options: WalkOptions<T>, first: Page<T>): Promise<number | undefined> {
  const seen = new PageDeduplicator(options.idOf);
  let count = 0;
  const emit = async (page: Page<T>) => {
    const fresh = seen.next(page.data);
    count += fresh.length;
    if (fresh.length > 0) await options.onEntries(fresh);
  };
  await emit(first);
  if (!first.has_more) return count === first.total ? count : restart(options);

  const pages = Math.ceil(first.total / MAX_PAGE_LIMIT);
  let consistent = first.data.length === MAX_PAGE_LIMIT && pages >= 2;
  const window = Math.max(1, options.window ?? 32);
  // Every page in flight is watched from the moment it is requested: a page that fails while
  // an earlier one is still awaited ends the walk at once (and is never an unhandled rejection).
  const inFlight = new FailFast();
  const pending = new Map<number, Promise<Page<T>>>();
  const request = (n: number) => {
    if (n <= pages && !pending.has(n))
      pending.set(n, inFlight.watch(options.fetchPage({ limit: MAX_PAGE_LIMIT, page_number: n })));
  };
  for (let n = 2; n < 2 + window; n++) request(n);
  for (let n = 2; n <= pages && consistent; n++) {
    const page = await inFlight.wait(pending.get(n)!);
    pending.delete(n);
    request(n + window);
    const isLast = n === pages;
    consistent =
      page.total === first.total &&
      page.has_more === !isLast &&
      (isLast || page.data.length === MAX_PAGE_LIMIT);
    if (consistent) await emit(page);
  }
  // Pages still pending after an inconsistent walk finish on their own; their results are not needed.
  return consistent && count === first.total ? count : restart(options);
}

async function restart<T>(options: WalkOptions<T>): Promise<undefined> {
  await options.onRestart();
  return undefined;
}

/** Sequential `after` cursor walk; tried again from the start if its cursor entry vanished. */
async function walkCursors<T>(options: WalkOptions<T>): Promise<number> {
  const attempts = options.maxCursorWalks ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await walkCursorOnce(options);
    } catch (error) {
      // A 422 on `after` means the cursor entry was deleted between two requests.
      if (!(error instanceof ValidationError)) throw error;
      await options.onRestart();
    }
  }
  throw new InconsistentListingError(`the listing kept changing during ${attempts} attempts to read it`);
}

async function walkCursorOnce<T>(options: WalkOptions<T>): Promise<number> {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const page = await options.fetchPage(
      after ? { limit: MAX_PAGE_LIMIT, after } : { limit: MAX_PAGE_LIMIT },
    );
    count += page.data.length;
    if (page.data.length > 0) await options.onEntries(page.data);
    const last = page.data.at(-1);
    if (!page.has_more || !last) return count;
    after = options.idOf(last);
    if (after === undefined) {
      throw new InconsistentListingError('the listing changed while it was read, and has no IDs to page by');
    }
  }
}

/**
 * Drops entries already emitted by the previous page: with offset paging, an insert before an
 * entry shifts it onto the next page. Only adjacent pages can overlap that way, so memory stays
 * one page, not one set of every ID.
 */
class PageDeduplicator<T> {
  private previous = new Set<string>();
  constructor(private readonly idOf: (entry: T) => string | undefined) {}

  next(entries: T[]): T[] {
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
