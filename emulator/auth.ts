/**
 * Bearer-key auth like the API's: no usable `Authorization: Bearer <key>` header is a 401
 * (FastAPI's "Not authenticated"); a key other than the configured one is a 403. Without a
 * configured key any non-empty key is accepted. Keys are compared in constant time and never
 * echoed or logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Checks the bearer key against `apiKey` (any key when undefined). */
export function requireBearerKey(apiKey: string | undefined): MiddlewareHandler {
  const expected = apiKey === undefined ? undefined : digest(apiKey);
  return async (c, next) => {
    const key = bearerKey(c.req.header('authorization'));
    if (key === undefined) {
      return c.json({ detail: 'Not authenticated' }, 401, { 'www-authenticate': 'Bearer' });
    }
    if (expected && !timingSafeEqual(digest(key), expected))
      return c.json({ detail: 'Invalid API key' }, 403);
    return next();
  };
}

/** The credentials of a `Bearer` header (scheme case-insensitive, as FastAPI's HTTPBearer), if non-empty. */
function bearerKey(header: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S.*?)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Fixed-length digests, so `timingSafeEqual` works for keys of any length. */
function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
