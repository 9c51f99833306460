/** Whether a request is a browser asking for a page (its Accept header names text/html). */
import type { Context } from 'hono';

export function wantsHtml(c: Context): boolean {
  return /\btext\/html\b/i.test(c.req.header('Accept') ?? '');
}
