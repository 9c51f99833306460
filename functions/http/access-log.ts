/** One log entry per request: method, path, status, duration, request id and user id (never headers or bodies). */
import type { MiddlewareHandler } from 'hono';
import type { HttpLogger } from './deps';
import type { HttpEnv } from './env';

/** Logs each request after it is answered. */
export function accessLog(logger: HttpLogger): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      // Who did it (the subject only: names and groups stay out of the log).
      user: c.get('user')?.id,
      duration_ms: Math.round(performance.now() - started),
    });
  };
}
