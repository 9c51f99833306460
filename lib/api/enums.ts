/**
 * The vendor's enums as documented in the upload-sessions API. They have grown before
 * (EXPIRED, TEMPORARY and newer failure reasons came later), so every value we read is
 * typed as "known or any other string": an unknown value is counted under its own name.
 */

/** `Session.status`. */
export const SESSION_STATUSES = ['OPEN', 'CLOSED', 'EXPIRED'] as const;
/** `Session.write_mode`. */
export const WRITE_MODES = ['KEEP', 'OVERWRITE', 'FAIL', 'TEMPORARY'] as const;
/** `SessionFile.ingestion_status`, also the `ingestion_status` filter of the files endpoint. */
export const INGESTION_STATUSES = ['PENDING', 'FAILED', 'FINISHED'] as const;
/** `SessionFile.ingestion_status_reason` (null for files that did not fail). */
export const FAILURE_REASONS = [
  'EMPTY_FILE',
  'FILE_NOT_FOUND',
  'FAILED_TO_PARSE_META',
  'FILE_ALREADY_EXISTS',
  'INGESTING_FILE_FAILED',
  'UNKNOWN_ERROR',
  'FILE NAME TOO LONG. MAX LENGTH IS 800',
  'SLOWDOWN',
] as const;

/** Sort fields accepted by `GET .../upload_sessions`. */
export const SESSION_SORT_FIELDS = [
  'created_at',
  'expires_at',
  'ingestion_status_reason',
  'name',
  'file_count',
  'status',
  'write_mode',
] as const;
/** Sort fields accepted by `GET .../upload_sessions/{id}/files`. */
export const FILE_SORT_FIELDS = [
  'created_at',
  'ingestion_status',
  'ingestion_status_reason',
  'name',
] as const;
export const SORT_ORDERS = ['ASC', 'DESC'] as const;

/** A documented value, or any value the vendor added since (kept as given). */
type Open<T extends string> = T | (string & {});

export type SessionStatus = Open<(typeof SESSION_STATUSES)[number]>;
export type WriteMode = Open<(typeof WRITE_MODES)[number]>;
export type IngestionStatus = Open<(typeof INGESTION_STATUSES)[number]>;
export type FailureReason = Open<(typeof FAILURE_REASONS)[number]>;
export type SessionSortField = (typeof SESSION_SORT_FIELDS)[number];
export type FileSortField = (typeof FILE_SORT_FIELDS)[number];
export type SortOrder = (typeof SORT_ORDERS)[number];

/** API limits: `limit` defaults to 10 and may be at most 100. */
export const DEFAULT_PAGE_LIMIT = 10;
export const MAX_PAGE_LIMIT = 100;
