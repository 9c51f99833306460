/**
 * Why a run failed, as a stable code and one clear line: for the CLI's last line, the
 * `error` of an incomplete summary.json, logs and HTTP errors. Messages come from our own
 * errors, which never carry the API key; anything unexpected says only "internal error".
 */
import {
  ApiError,
  InconsistentListingError,
  InvalidResponseError,
  NotFoundError,
  RetriesExhaustedError,
  UnauthorizedError,
  ValidationError,
  WrongApiUrlError,
} from '../api';
import { RunCancelledError } from './run-cancellation';

/**
 * Every code a failed run can carry, so a caller's `switch` is checked for completeness and a
 * typo is a type error. Most come from `describeFailure`; BATCH_FAILED and WORKFLOW_FAILED from
 * the fan-out, DEADLINE from the nightly job running out of time.
 */
export const FAILURE_CODES = [
  'WORKSPACE_NOT_FOUND',
  'API_URL_WRONG',
  'API_KEY_REJECTED',
  'API_RATE_LIMITED',
  'API_SERVER_ERROR',
  'API_UNREACHABLE',
  'API_ERROR',
  'INVALID_RESPONSE',
  'REQUEST_REJECTED',
  'DATA_CHANGING',
  'BATCH_FAILED',
  'WORKFLOW_FAILED',
  'DEADLINE',
  // A run that could not be handed over to where it runs, or whose lease expired without a summary.
  'LAUNCH_FAILED',
  'ABANDONED',
  // A run whose workspace lease was taken over, or could not be kept, before it ended.
  'LEASE_LOST',
  'INTERNAL',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface Failure {
  code: FailureCode;
  message: string;
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof ReportFailedError) return error.failure;
  if (error instanceof RunCancelledError) return describeFailure(error.cause);
  if (error instanceof NotFoundError && error.resource === 'workspace') {
    return { code: 'WORKSPACE_NOT_FOUND', message: `workspace "${error.id}" was not found` };
  }
  if (error instanceof WrongApiUrlError) {
    return {
      code: 'API_URL_WRONG',
      message: `the API URL answered 404 to ${error.endpoint}, not as the API would: check that the URL ends in /api/v1`,
    };
  }
  if (error instanceof UnauthorizedError) {
    return { code: 'API_KEY_REJECTED', message: `the API key was rejected (HTTP ${error.status})` };
  }
  if (error instanceof RetriesExhaustedError) return retriesExhausted(error);
  if (error instanceof InvalidResponseError) return { code: 'INVALID_RESPONSE', message: error.message };
  if (error instanceof ValidationError) {
    return {
      code: 'REQUEST_REJECTED',
      message: `the API rejected a request to ${error.endpoint} (HTTP 422)`,
    };
  }
  if (error instanceof InconsistentListingError) return { code: 'DATA_CHANGING', message: error.message };
  if (error instanceof ApiError) {
    return {
      code: 'API_ERROR',
      message: `the API answered HTTP ${error.status ?? '?'} to ${error.endpoint}`,
    };
  }
  return { code: 'INTERNAL', message: 'internal error' };
}

/**
 * Retries ran out: said apart by what the last attempt met, since each calls for something
 * else (slow down, check the network, wait for the vendor, report a vendor bug). Built from
 * status, reason and endpoint only: upstream bodies (proxy pages) never reach a caller.
 */
function retriesExhausted(error: RetriesExhaustedError): Failure {
  const last = error.cause;
  const after = `after ${error.attempts} attempts`;
  switch (last.reason) {
    case 'rate-limited':
      return {
        code: 'API_RATE_LIMITED',
        message: `the API kept rate limiting requests ${after} (last: HTTP ${last.status ?? 429} from ${last.endpoint})`,
      };
    case 'server-error':
      return {
        code: 'API_SERVER_ERROR',
        message: `the API kept failing with server errors ${after} (last: HTTP ${last.status} from ${last.endpoint})`,
      };
    case 'unparseable-body':
      return {
        code: 'INVALID_RESPONSE',
        message: `the API kept sending invalid or truncated responses ${after} (last: a body that is not JSON from ${last.endpoint})`,
      };
    case 'timeout':
    case 'network':
      return {
        code: 'API_UNREACHABLE',
        message: `the API could not be reached ${after} (last: ${last.reason === 'timeout' ? 'timed out' : 'connection failed'} for ${last.endpoint})`,
      };
  }
}

/** A run that did not complete; carries its incomplete summary. */
export class ReportFailedError extends Error {
  override name = 'ReportFailedError';
  constructor(
    readonly failure: Failure,
    options: { cause: unknown },
  ) {
    super(failure.message, options);
  }
}
