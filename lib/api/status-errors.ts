/**
 * Turning a non-2xx response into the error it means. Error bodies are often a proxy's HTML
 * (401/403/502/503/504), so nothing here assumes JSON, and at most a short, cleaned excerpt of
 * the body (see ./excerpt) ends up in an error.
 */
import {
  ApiError,
  describeInput,
  NotFoundError,
  type RequestInput,
  TransientError,
  UnauthorizedError,
  ValidationError,
  WrongApiUrlError,
} from './errors';
import { excerpt } from './excerpt';
import { parseRetryAfter } from './retry';
import { ValidationErrorBody } from './schemas';

/** FastAPI lists every failed check; a few say what was wrong. */
const MAX_VALIDATION_ENTRIES = 10;

/** The error for a non-2xx `status` with response `headers` and body `text`. */
export function errorForStatus(
  status: number,
  headers: Headers,
  text: string,
  input: RequestInput,
  secret: string,
): ApiError {
  const detail = excerpt(text, secret);
  if (status === 401 || status === 403) return new UnauthorizedError(status, { endpoint: input.endpoint });
  if (status === 404) return notFound(text, input);
  if (status === 422) return new ValidationError(input, validationDetail(text, secret));
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    const reason = status === 429 ? 'rate-limited' : 'server-error';
    return new TransientError(input, reason, {
      status,
      detail,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const suffix = detail ? `: ${detail}` : '';
  return new ApiError(`${input.endpoint} answered ${status} for ${describeInput(input)}${suffix}`, {
    endpoint: input.endpoint,
    status,
  });
}

/**
 * The API answers a missing workspace or session with FastAPI's JSON `{"detail": "There's no
 * ..."}`. Anything else on the sessions endpoint (an HTML page, an empty body, or FastAPI's
 * bare `{"detail": "Not Found"}` for a path it has no route for) means the request went to
 * the wrong place. On the files endpoint the sessions listing has already proved the URL, so a
 * 404 there is always the session's.
 */
function notFound(text: string, input: RequestInput): ApiError {
  if (input.sessionId !== undefined || isApiNotFoundBody(text)) return new NotFoundError(input);
  return new WrongApiUrlError(input);
}

function isApiNotFoundBody(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || !('detail' in body)) return false;
    return body.detail !== 'Not Found';
  } catch {
    return false;
  }
}

/**
 * FastAPI's `detail` list when the 422 body is that JSON, else empty. Only where and what (as
 * excerpts): the echoed `input` and `ctx` can be anything the upstream chose to send back.
 */
function validationDetail(text: string, secret: string): ValidationError['detail'] {
  try {
    const parsed = ValidationErrorBody.safeParse(JSON.parse(text));
    if (!parsed.success) return [];
    return parsed.data.detail.slice(0, MAX_VALIDATION_ENTRIES).map((entry) => ({
      loc: entry.loc.slice(0, 8).map((part) => (typeof part === 'number' ? part : excerpt(part, secret))),
      msg: excerpt(entry.msg, secret),
      type: excerpt(entry.type, secret),
    }));
  } catch {
    return [];
  }
}
