/**
 * One HTTP attempt: a GET whose timeout covers the headers AND the body (a server that sends
 * headers and then stalls is as hung as one that never answers), classified into either parsed
 * JSON or the error the outcome means.
 */

import type { RequestInput } from './errors';
import { ApiError, TransientError } from './errors';
import { excerpt } from './excerpt';
import { linkSignals } from './linked-signal';
import { errorForStatus } from './status-errors';

/** Everything one attempt needs. */
export interface AttemptRequest {
  url: string;
  apiKey: string;
  timeoutMs: number;
  /** The caller's signal: aborting it cancels the attempt with its reason (never retried). */
  signal?: AbortSignal;
  input: RequestInput;
}

/**
 * GETs `url` and returns the JSON of a 2xx body. Throws `TransientError` (timeout, network,
 * 429, 5xx, a 2xx body that is not JSON), another `ApiError` for other statuses, or the
 * caller's abort reason.
 */
export async function getJsonOnce(request: AttemptRequest): Promise<unknown> {
  const attempt = attemptSignal(request.signal, request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      headers: { accept: 'application/json', authorization: `Bearer ${request.apiKey}` },
      signal: attempt.signal,
    });
    if (!response.ok) throw await errorForResponse(response, request);
    return parseJsonBody(await response.text(), request);
  } catch (error) {
    throw classifyFailure(error, request, attempt.signal);
  } finally {
    attempt.dispose();
  }
}

/** A signal that aborts after `ms` (our timeout, with no reason) or as soon as `parent` does. */
function attemptSignal(parent: AbortSignal | undefined, ms: number) {
  const linked = linkSignals([parent]);
  const timer = setTimeout(() => linked.abort(), ms);
  const dispose = () => {
    clearTimeout(timer);
    linked.dispose();
  };
  return { signal: linked.signal, dispose };
}

async function errorForResponse(response: Response, request: AttemptRequest): Promise<ApiError> {
  // The status already says what happened; a body we cannot read only costs us the snippet.
  const text = await response.text().catch(() => '');
  return errorForStatus(response.status, response.headers, text, request.input, request.apiKey);
}

function parseJsonBody(text: string, request: AttemptRequest): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Seen in practice as a body cut short by a proxy or a dropped connection: worth a retry.
    // Not the parser's error as the cause: it quotes the body raw, control characters and all.
    const start = excerpt(text, request.apiKey);
    throw new TransientError(request.input, 'unparseable-body', {
      detail: `the 2xx body is not valid JSON (${text.length} characters${start ? `, starting: ${start}` : ''})`,
    });
  }
}

/**
 * What a thrown value means, checked in order: the caller's abort, our own errors, and then,
 * if the attempt's signal fired without the caller aborting, our timeout.
 */
function classifyFailure(error: unknown, request: AttemptRequest, attempt: AbortSignal): unknown {
  if (request.signal?.aborted) return request.signal.reason;
  if (error instanceof ApiError) return error;
  if (attempt.aborted) {
    return new TransientError(request.input, 'timeout', {
      detail: `no complete response within ${request.timeoutMs} ms`,
    });
  }
  return new TransientError(request.input, 'network', { detail: describeNetworkError(error), cause: error });
}

/** `fetch failed (ECONNRESET: other side closed)`: undici hides the useful part in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const inner = [typeof code === 'string' ? code : undefined, cause?.message].filter(Boolean).join(': ');
  return inner ? `${error.message} (${inner})` : error.message;
}
