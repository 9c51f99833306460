/**
 * Every error the HTTP API answers is JSON `{ "error": { "code", "message" } }`. A 4xx says
 * exactly what was wrong with the request; a 5xx says only what kind of failure it was and the
 * request id, while the details (stack, cause, upstream bodies) go to the log.
 */
import { z } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HttpLogger } from './deps';
import type { HttpEnv } from './env';

/** The body of every error response. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'RUN_NOT_FOUND' }),
      message: z.string().openapi({ example: 'no run "20261123T070630123Z-4f9c2a" for workspace "demo"' }),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `{ error: { code, message } }` */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/**
 * An error with a status the caller should see. For a 5xx, `message` must be safe to show
 * (no upstream body, path or stack): the handler adds the request id, and logs `cause`.
 */
export class HttpProblem extends Error {
  override name = 'HttpProblem';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
};

/** The request id the request-id middleware assigned (also in the X-Request-Id header). */
export function requestIdOf(c: Context<HttpEnv>): string {
  return c.get('requestId') ?? 'unknown';
}

/** app.onError: HttpProblem and 4xx HTTPException as they are, anything else a generic 500. */
export function errorHandler(logger: HttpLogger): ErrorHandler<HttpEnv> {
  return (error, c) => {
    const requestId = requestIdOf(c);
    const where = { request_id: requestId, method: c.req.method, path: c.req.path };
    if (error instanceof HttpProblem) {
      if (error.status < 500) return c.json(errorBody(error.code, error.message), error.status);
      logger.error(`${error.code}: ${error.message}`, { ...where, error });
      return c.json(errorBody(error.code, `${error.message} (request id ${requestId})`), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = CODES_BY_STATUS[error.status] ?? 'BAD_REQUEST';
      return c.json(errorBody(code, error.message || code.toLowerCase().replaceAll('_', ' ')), error.status);
    }
    logger.error('unhandled error', { ...where, error });
    return c.json(errorBody('INTERNAL', `internal error (request id ${requestId})`), 500);
  };
}

/** app.notFound: JSON like every other error. */
export const notFoundHandler: NotFoundHandler<HttpEnv> = (c) =>
  c.json(errorBody('NOT_FOUND', `no route for ${c.req.method} ${shortened(c.req.path)}`), 404);

function shortened(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** methodNotAllowed's answer: JSON, with the Allow header. */
export function methodNotAllowedResponse(c: Context<HttpEnv>, allowed: string[]): Response {
  const allow = allowed.join(', ');
  return c.json(errorBody('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use ${allow}`), 405, {
    Allow: allow,
  });
}
