/** `https://host[:port]` of the request, for absolute links in responses. */
import type { Context } from 'hono';

/** The scheme, host and port the caller used (on Lambda: the Function URL's domain). */
export function requestOrigin(c: Context): string {
  return new URL(c.req.url).origin;
}
