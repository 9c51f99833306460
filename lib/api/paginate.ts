/**
 * Walking a list endpoint page by page (`page_number` 1..n) until `has_more` is false.
 * Sequential on purpose: it is the simple, polite way; the report engine pages in parallel
 * on top of the single-page calls when it needs speed.
 */
import { z } from 'zod';
import { MAX_PAGE_LIMIT } from './enums';
import { InvalidResponseError, type RequestInput } from './errors';
import type { Page } from './schemas';

/** The page size the walkers use unless the caller gives a `limit`. */
export const WALK_PAGE_LIMIT = MAX_PAGE_LIMIT;

/**
 * Yields every entry of every page, in the API's order.
 *
 * Entries already seen (same `keyOf`) are skipped: with offset paging, an entry inserted at the
 * head while we walk pushes the previous page's last entry onto the next page. A page that is
 * empty but says `has_more` would loop forever, so it is an `InvalidResponseError`.
 *
 * @example
 * for await (const file of walkPages((n) => client.listSessionFiles(w, id, { page_number: n }), f => f.file_ingestion_id, input)) ...
 */
export async function* walkPages<T>(
  fetchPage: (pageNumber: number) => Promise<Page<T>>,
  keyOf: (entry: T) => string | undefined,
  input: RequestInput,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await fetchPage(pageNumber);
    for (const entry of page.data) {
      const key = keyOf(entry);
      if (key !== undefined) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      yield entry;
    }
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
