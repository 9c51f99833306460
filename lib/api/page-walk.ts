/**
 * The one home of paging a list endpoint, in two forms sharing one deduplication:
 *
 * - `walkListing` (the report engine's): every entry in one stable order, with the fewest
 *   requests and as many in flight as the client allows, never emitting a duplicate or silently
 *   losing an entry when the data changes under us. Its parts are named for how they page:
 *   `walkByPageNumber`, the fast path (the first page gives `total`, so pages 2..n are fetched
 *   in parallel and emitted in order), accepted only if consistent (every page reports the same
 *   `total`, full pages are full, the last says `has_more: false`, the distinct IDs number
 *   `total`); otherwise the data changed during the walk, and `walkByCursor` redoes it with
 *   `after` cursors, which are immune to inserts and deletes elsewhere in the list.
 * - `pageByPage` (the client's iterables): a lazy stream, one page at a time.
 */
import { z } from 'zod';
import { MAX_PAGE_LIMIT } from './enums';
import { InvalidResponseError, type RequestInput, ValidationError } from './errors';
import { FailFast } from './fail-fast';
import { PageDeduplicator } from './page-dedup';
import type { Page } from './schemas';

/** The page size walks use unless told otherwise: the largest the API allows. */
export const WALK_PAGE_LIMIT = MAX_PAGE_LIMIT;

export interface PageQuery {
  limit: number;
  page_number?: number;
  after?: string;
}

/**
 * Pages requested ahead of the one being read, unless told otherwise: of the session listing
 * and of each session's files: this many requests in flight per walk, and at most this many
 * pages held while an earlier one is awaited.
 */
export const DEFAULT_PAGE_WINDOW = 32;

export interface ListingWalk<T> {
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

export async function walkListing<T>(options: ListingWalk<T>): Promise<WalkResult> {
  const first = options.firstPage ?? (await options.fetchPage({ limit: MAX_PAGE_LIMIT }));
  const count = await walkByPageNumber(options, first);
  if (count !== undefined) return { count, mode: 'pages' };
  return { count: await walkByCursor(options), mode: 'cursor' };
}

/** The parallel page_number walk; undefined when it turned out inconsistent. */
async function walkByPageNumber<T>(options: ListingWalk<T>, first: Page<T>): Promise<number | undefined> {
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
  const window = Math.max(1, options.window ?? DEFAULT_PAGE_WINDOW);
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

async function restart<T>(options: ListingWalk<T>): Promise<undefined> {
  await options.onRestart();
  return undefined;
}

/** Sequential `after` cursor walk; tried again from the start if its cursor entry vanished. */
async function walkByCursor<T>(options: ListingWalk<T>): Promise<number> {
  const attempts = options.maxCursorWalks ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await walkByCursorOnce(options);
    } catch (error) {
      // A 422 on `after` means the cursor entry was deleted between two requests.
      if (!(error instanceof ValidationError)) throw error;
      await options.onRestart();
    }
  }
  throw new InconsistentListingError(`the listing kept changing during ${attempts} attempts to read it`);
}

async function walkByCursorOnce<T>(options: ListingWalk<T>): Promise<number> {
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
 * Every entry of every page, in the API's order, fetched one page at a time as the consumer
 * asks (stopping early fetches nothing more), by `page_number` until `has_more` is false.
 * Duplicates across adjacent pages are dropped as in `walkListing`; a page that is empty but
 * says `has_more` would loop forever, so it is an `InvalidResponseError`.
 */
export async function* pageByPage<T>(
  fetchPage: (pageNumber: number) => Promise<Page<T>>,
  idOf: (entry: T) => string | undefined,
  input: RequestInput,
): AsyncGenerator<T, void, undefined> {
  const seen = new PageDeduplicator(idOf);
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await fetchPage(pageNumber);
    yield* seen.next(page.data);
    if (!page.has_more) return;
    if (page.data.length === 0) throw stalledPage(input, pageNumber);
  }
}

function stalledPage(input: RequestInput, pageNumber: number): InvalidResponseError {
  const issue = {
    code: 'custom' as const,
    path: ['has_more'],
    message: `true on page ${pageNumber}, which is empty (paging would never end)`,
  };
  return new InvalidResponseError(input, new z.ZodError([issue]));
}
