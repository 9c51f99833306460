/**
 * Turns the raw query of a request into a typed list query, or into every FastAPI error
 * detail at once. Error order follows FastAPI: path parameters, then query parameters in
 * the order the spec declares them; the cross-parameter rules (cursor vs. page_number) are
 * checked only once every single value is valid, as a model validator would be.
 */
import {
  FILE_SORT_FIELDS,
  type FileSortField,
  INGESTION_STATUSES,
  MAX_PAGE_LIMIT,
  SESSION_SORT_FIELDS,
  type SessionSortField,
  SORT_ORDERS,
  type SortOrder,
} from '../lib/api/enums';
import { type Parsed, parseBoolean, parseEnum, parseInteger, parseUuidParam } from './query-params';
import { type ValidationDetail, valueError } from './validation-errors';

/** Paging and sorting, shared by both endpoints. `limit` may be <= 0 (see `parsePaging`). */
export interface ListQuery<F extends string> {
  limit: number;
  pageNumber?: number;
  before?: string;
  after?: string;
  field: F;
  order: SortOrder;
}
/** `GET .../upload_sessions`. */
export interface SessionsQuery extends ListQuery<SessionSortField> {
  isExpired?: boolean;
}
/** `GET .../upload_sessions/{session_id}/files`, with the session ID from the path. */
export interface FilesQuery extends ListQuery<FileSortField> {
  sessionId: string;
  ingestionStatus?: (typeof INGESTION_STATUSES)[number];
}
/** A valid query, or the 422 details. */
export type QueryParse<T> = { ok: true; query: T } | { ok: false; errors: ValidationDetail[] };

/** The last value of each query parameter, as Starlette's `QueryParams.get` returns it. */
export function lastQueryValues(url: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new URL(url).searchParams) values[name] = value;
  return values;
}

/** Validates the sessions endpoint's query. */
export function parseSessionsQuery(raw: Record<string, string>): QueryParse<SessionsQuery> {
  const errors: ValidationDetail[] = [];
  const isExpired = take(errors, raw.is_expired, (s) => parseBoolean(['query', 'is_expired'], s));
  const paging = parsePaging(raw, SESSION_SORT_FIELDS, errors);
  return finish(errors, { ...paging, isExpired }, raw);
}

/** Validates the files endpoint's path session ID and query. */
export function parseFilesQuery(rawSessionId: string, raw: Record<string, string>): QueryParse<FilesQuery> {
  const errors: ValidationDetail[] = [];
  const sessionId = take(errors, rawSessionId, (s) => parseUuidParam(['path', 'session_id'], s));
  const ingestionStatus = take(errors, raw.ingestion_status, (s) =>
    parseEnum(['query', 'ingestion_status'], s, INGESTION_STATUSES),
  );
  const paging = parsePaging(raw, FILE_SORT_FIELDS, errors);
  return finish(errors, { ...paging, sessionId: sessionId ?? '', ingestionStatus }, raw);
}

/**
 * The spec documents `maximum: 100` for `limit` and no minimum, so a limit <= 0 is valid
 * here and yields an empty `data` with the true `total` and `has_more` (see paginate.ts).
 */
function parsePaging<F extends string>(
  raw: Record<string, string>,
  fields: readonly F[],
  errors: ValidationDetail[],
) {
  const limit = take(errors, raw.limit, (s) => parseInteger(['query', 'limit'], s, { le: MAX_PAGE_LIMIT }));
  const before = take(errors, raw.before, (s) => parseUuidParam(['query', 'before'], s));
  const after = take(errors, raw.after, (s) => parseUuidParam(['query', 'after'], s));
  const pageNumber = take(errors, raw.page_number, (s) =>
    parseInteger(['query', 'page_number'], s, { ge: 1 }),
  );
  const field = take(errors, raw.field, (s) => parseEnum(['query', 'field'], s, fields));
  const order = take(errors, raw.order, (s) => parseEnum(['query', 'order'], s, SORT_ORDERS));
  return {
    limit: limit ?? 10,
    before,
    after,
    pageNumber,
    field: field ?? ('created_at' as F),
    order: order ?? 'DESC',
  };
}

function take<T>(errors: ValidationDetail[], raw: string | undefined, parse: (s: string) => Parsed<T>) {
  if (raw === undefined) return undefined;
  const parsed = parse(raw);
  if (parsed.ok) return parsed.value;
  errors.push(parsed.error);
  return undefined;
}

function finish<T extends ListQuery<string>>(
  errors: ValidationDetail[],
  query: T,
  raw: Record<string, string>,
) {
  if (errors.length === 0) errors.push(...cursorRuleErrors(query, raw));
  return errors.length > 0 ? { ok: false as const, errors } : { ok: true as const, query };
}

/** The spec: "To use this option, clear the `page_number` parameter first"; one cursor at a time. */
function cursorRuleErrors(query: ListQuery<string>, raw: Record<string, string>): ValidationDetail[] {
  const errors: ValidationDetail[] = [];
  if (query.before !== undefined && query.after !== undefined) {
    errors.push(
      valueError(['query', 'after'], raw.after, 'before and after cannot be used together: pass one cursor'),
    );
  }
  if (query.pageNumber !== undefined && (query.before !== undefined || query.after !== undefined)) {
    const message =
      'page_number cannot be combined with before or after: clear the page_number parameter first';
    errors.push(valueError(['query', 'page_number'], raw.page_number, message));
  }
  return errors;
}
