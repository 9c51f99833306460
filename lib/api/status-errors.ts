/**
 * Turning a non-2xx response into the error it means. Error bodies are often a proxy's HTML
 * (401/403/502/503/504), so nothing here assumes JSON, and at most a short, cleaned snippet of
 * the body ends up in a message.
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
import { parseRetryAfter } from './retry';
import { ValidationErrorBody } from './schemas';

const SNIPPET_MAX_CHARS = 200;

/** The error for a non-2xx `status` with response `headers` and body `text`. */
export function errorForStatus(
  status: number,
  headers: Headers,
  text: string,
  input: RequestInput,
  secret: string,
): ApiError {
  const detail = bodySnippet(text, secret);
  if (status === 401 || status === 403) return new UnauthorizedError(status, { endpoint: input.endpoint });
  if (status === 404) return notFound(text, input);
  if (status === 422) return new ValidationError(input, validationDetail(text));
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

/** FastAPI's `detail` list when the 422 body is that JSON, else empty. */
function validationDetail(text: string): ValidationError['detail'] {
  try {
    const parsed = ValidationErrorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.detail : [];
  } catch {
    return [];
  }
}

/**
 * A one-line, human-readable excerpt of an error body: markup, scripts and control characters
 * removed, whitespace collapsed, the secret (should a proxy echo a header) redacted, cut short.
 */
export function bodySnippet(text: string, secret: string): string {
  const cleaned = redact(text.slice(0, 20_000), secret)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > SNIPPET_MAX_CHARS ? `${cleaned.slice(0, SNIPPET_MAX_CHARS - 1)}…` : cleaned;
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
