/**
 * What can go wrong when talking to the upload-sessions API. Every error names the endpoint
 * (as a template, e.g. `GET /workspaces/{w}/upload_sessions`) and the input it was called with,
 * and never the API key: callers print these messages as they are.
 */
import type { z } from 'zod';
import { cut } from './excerpt';
import { describeIssues, type ValidationDetail } from './schemas';

/** The input a request was made with, used to say "with which input" in messages. */
export interface RequestInput {
  /** Endpoint template, e.g. `GET /workspaces/{w}/upload_sessions/{id}/files`. */
  endpoint: string;
  workspace: string;
  sessionId?: string;
}

/** `for workspace "demo", session "abc"`: the input part of every message. */
export function describeInput(input: RequestInput): string {
  const session = input.sessionId === undefined ? '' : `, session ${JSON.stringify(input.sessionId)}`;
  return `workspace ${JSON.stringify(input.workspace)}${session}`;
}

/** Base of every error the client throws; `status` is the HTTP status when there was one. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly endpoint: string;
  readonly status?: number;

  constructor(message: string, options: { endpoint: string; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.endpoint = options.endpoint;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** 404: the workspace (sessions endpoint) or the session (files endpoint) does not exist. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  readonly resource: 'workspace' | 'session';
  readonly id: string;

  constructor(input: RequestInput, options: { cause?: unknown } = {}) {
    const resource = input.sessionId === undefined ? 'workspace' : 'session';
    const id = input.sessionId ?? input.workspace;
    super(
      `${resource} ${JSON.stringify(id)} not found (404 from ${input.endpoint}, ${describeInput(input)})`,
      {
        endpoint: input.endpoint,
        status: 404,
        ...options,
      },
    );
    this.resource = resource;
    this.id = id;
  }
}

/**
 * 404 from an address that does not answer as the API does: the base URL is most likely
 * wrong (typically missing `/api/v1`), rather than the workspace missing.
 */
export class WrongApiUrlError extends ApiError {
  override name = 'WrongApiUrlError';

  constructor(input: RequestInput) {
    super(
      `${input.endpoint} answered 404 without the API's error body (${describeInput(input)}): check that the API URL ends in /api/v1`,
      { endpoint: input.endpoint, status: 404 },
    );
  }
}

/** 401/403: the key is wrong, expired or lacks access. The message is deliberately fixed. */
export class UnauthorizedError extends ApiError {
  override name = 'UnauthorizedError';
  declare readonly status: 401 | 403;

  constructor(status: 401 | 403, options: { endpoint: string; cause?: unknown }) {
    super(`the API key was rejected (${status})`, { ...options, status });
  }
}

/** 422: the API rejected our parameters; `detail` is FastAPI's list (empty if the body was not JSON). */
export class ValidationError extends ApiError {
  override name = 'ValidationError';
  readonly detail: ValidationDetail[];

  constructor(input: RequestInput, detail: ValidationDetail[], options: { cause?: unknown } = {}) {
    const summary = cut(
      detail
        .slice(0, 3)
        .map((d) => `${d.loc.join('.')}: ${d.msg}`)
        .join('; '),
    );
    super(
      `${input.endpoint} rejected the request (422) for ${describeInput(input)}${summary ? `: ${summary}` : ''}`,
      { endpoint: input.endpoint, status: 422, ...options },
    );
    this.detail = detail;
  }
}

/** Why a request may succeed if simply tried again. */
export type TransientReason = 'rate-limited' | 'server-error' | 'network' | 'timeout' | 'unparseable-body';

/** A failure worth retrying: 429, 5xx, network error, timeout, or a 2xx body that is not JSON. */
export class TransientError extends ApiError {
  override name = 'TransientError';
  readonly reason: TransientReason;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number;

  constructor(
    input: RequestInput,
    reason: TransientReason,
    options: { status?: number; retryAfterMs?: number; detail?: string; cause?: unknown } = {},
  ) {
    const status = options.status === undefined ? '' : `${options.status} `;
    const detail = options.detail ? `: ${options.detail}` : '';
    super(`${input.endpoint} failed (${status}${reason}) for ${describeInput(input)}${detail}`, {
      endpoint: input.endpoint,
      ...(options.status === undefined ? {} : { status: options.status }),
      cause: options.cause,
    });
    this.reason = reason;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** One schema problem of a response, without the offending value (responses can be large). */
export interface ResponseIssue {
  code: string;
  path: (string | number)[];
  message: string;
}

/** A 2xx JSON body that does not match the schema: the vendor changed something. Not retried. */
export class InvalidResponseError extends ApiError {
  override name = 'InvalidResponseError';
  readonly issues: readonly ResponseIssue[];

  constructor(input: RequestInput, error: z.ZodError) {
    super(`invalid response from ${input.endpoint}: ${describeIssues(error)} (${describeInput(input)})`, {
      endpoint: input.endpoint,
    });
    this.issues = error.issues.map((issue) => ({
      code: issue.code,
      path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
      message: issue.message,
    }));
  }
}

/** Every attempt failed transiently; `cause` is the last failure. */
export class RetriesExhaustedError extends ApiError {
  override name = 'RetriesExhaustedError';
  readonly attempts: number;
  declare readonly cause: TransientError;

  constructor(attempts: number, cause: TransientError) {
    super(`${cause.endpoint} still failing after ${attempts} attempts; last error: ${cause.message}`, {
      endpoint: cause.endpoint,
      ...(cause.status === undefined ? {} : { status: cause.status }),
      cause,
    });
    this.attempts = attempts;
  }
}
