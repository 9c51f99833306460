/**
 * Cuts one page out of a sorted view: by `page_number`, or by an `after`/`before` cursor (an
 * entry's ID). `total` is always the whole view; `has_more` says whether entries remain
 * beyond the page in the direction of travel (towards the end for pages and `after`,
 * towards the start for `before`).
 */
import type { SortedView } from './views';

/** Paging parameters, already validated (at most one cursor, no page_number with a cursor). */
export interface PageRequest {
  limit: number;
  pageNumber?: number;
  before?: string;
  after?: string;
}

/** A page, or the cursor whose ID is not in the (filtered) list. */
export type PageResult<T> =
  | { ok: true; data: T[]; hasMore: boolean; total: number }
  | { ok: false; cursor: 'before' | 'after'; id: string };

/** The page `request` asks for. A limit <= 0 returns no entries (the spec sets no minimum). */
export function paginate<T>(view: SortedView<T>, request: PageRequest): PageResult<T> {
  const total = view.entries.length;
  const limit = Math.max(0, request.limit);
  if (request.after !== undefined) {
    const position = view.indexOf(request.after);
    if (position === undefined) return { ok: false, cursor: 'after', id: request.after };
    return forward(view, position + 1, limit);
  }
  if (request.before !== undefined) {
    const position = view.indexOf(request.before);
    if (position === undefined) return { ok: false, cursor: 'before', id: request.before };
    // The `limit` entries closest to the cursor, still in the requested order.
    const start = Math.max(0, position - limit);
    return { ok: true, data: view.entries.slice(start, position), hasMore: start > 0, total };
  }
  return forward(view, ((request.pageNumber ?? 1) - 1) * limit, limit);
}

function forward<T>(view: SortedView<T>, start: number, limit: number): PageResult<T> {
  const total = view.entries.length;
  if (start >= total) return { ok: true, data: [], hasMore: false, total };
  return { ok: true, data: view.entries.slice(start, start + limit), hasMore: start + limit < total, total };
}
