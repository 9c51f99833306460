/**
 * The typed client of deepset's upload-sessions API (`GET .../upload_sessions` and
 * `GET .../upload_sessions/{id}/files`): schemas, paging, retries, adaptive concurrency, errors.
 */
export {
  type ClientStats,
  FILES_ENDPOINT,
  type FileQuery,
  type RequestOptions,
  SESSIONS_ENDPOINT,
  type SessionQuery,
  UploadSessionsClient,
} from './client';
export * from './enums';
export {
  ApiError,
  InvalidResponseError,
  NotFoundError,
  type RequestInput,
  type ResponseIssue,
  RetriesExhaustedError,
  TransientError,
  type TransientReason,
  UnauthorizedError,
  ValidationError,
  WrongApiUrlError,
} from './errors';
export { AdaptiveLimiter, type ReleaseSlot, type SlotOutcome } from './limiter';
export { describeWait, LONG_WAIT_MS, type LongWait } from './long-wait';
export type { ClientOptions } from './options';
export {
  DEFAULT_PAGE_WINDOW,
  InconsistentListingError,
  type ListingWalk,
  type PageQuery,
  pageByPage,
  WALK_PAGE_LIMIT,
  type WalkResult,
  walkListing,
} from './page-walk';
export {
  parseRetryAfter,
  type RetryEvent,
  type RetryPolicy,
  retryDelayMs,
  sleep,
  withRetries,
} from './retry';
export * from './schemas';
