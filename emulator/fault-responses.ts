/**
 * How each fault looks on the wire: proxy-style error pages, bodies that do not parse,
 * requests that never answer and connections that drop.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context, Next } from 'hono';
import type { Fault } from './faults';

/** Reason phrases as nginx prints them in its error pages. */
const REASONS: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The body a misbehaving upstream sends with a 200. */
export const INVALID_JSON_BODY = '{"data": [ ... not json';

/** Answers the request as `fault` dictates (`next` runs the real app, for truncate). */
export async function respondWithFault(c: Context, next: Next, fault: Fault): Promise<Response> {
  switch (fault.kind) {
    case 'rate-limit':
      return errorResponse(429, fault.html, { 'retry-after': fault.retryAfter ?? '1' });
    case 'server-error':
      return errorResponse(fault.status ?? 503, fault.html);
    case 'hang':
      await untilAborted(c.req.raw.signal);
      return new Response(null, { status: 504 });
    case 'truncate':
      return truncated(c, next);
    case 'invalid-json':
      return new Response(INVALID_JSON_BODY, {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    case 'reset':
      return reset(c);
  }
}

function errorResponse(
  status: number,
  html: boolean | undefined,
  headers: Record<string, string> = {},
): Response {
  const reason = REASONS[status] ?? 'Error';
  if (html) {
    const body = `<html><body><h1>${status} ${reason}</h1></body></html>`;
    return new Response(body, { status, headers: { ...headers, 'content-type': 'text/html' } });
  }
  return Response.json({ detail: reason }, { status, headers });
}

/** The real answer cut in half, with a Content-Length that matches the cut: a parse error, not a network error. */
async function truncated(c: Context, next: Next): Promise<Response> {
  await next();
  const whole = new Uint8Array(await c.res.arrayBuffer());
  const cut = whole.slice(0, Math.floor(whole.length / 2));
  const status = c.res.status;
  c.res = undefined; // otherwise Hono copies the old headers into the new response
  // After next() Hono ignores a returned response: the new one must be assigned.
  c.res = new Response(cut, {
    status,
    headers: { 'content-type': 'application/json', 'content-length': String(cut.length) },
  });
  return c.res;
}

/** Destroys the connection without a response: fetch rejects with a network error. */
async function reset(c: Context): Promise<Response> {
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
  if (!socket) throw new Error('The reset fault needs a Node HTTP server (startEmulator), not app.request()');
  socket.destroy();
  await untilAborted(c.req.raw.signal);
  return new Response(null, { status: 500 });
}

/** Resolves when the client goes away (or the emulator closes its connections). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
