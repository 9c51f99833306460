/**
 * The origin the app puts in absolute links and redirects. The Host header is the caller's to
 * choose, so it is never used: a configured PUBLIC_BASE_URL wins; on Lambda it is the Function
 * URL's own domain from the event; on a local server the address the connection arrived on.
 * Only a request handed to the app in-process (tests, no server at all) falls back to its URL.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpEnv } from '../env';

interface ServerBindings {
  /** hono/aws-lambda: the Function URL event's request context. */
  requestContext?: { domainName?: unknown };
  /** @hono/node-server: the Node request, whose socket knows the listening address. */
  incoming?: { socket?: { localAddress?: string; localPort?: number; encrypted?: boolean } };
}

/** Sets `publicOrigin` for every later middleware and route. */
export function publicOrigin(configured: string | undefined): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    c.set('publicOrigin', configured ?? serverOrigin(c) ?? new URL(c.req.url).origin);
    await next();
  };
}

function serverOrigin(c: Context): string | undefined {
  const bindings = (c.env ?? {}) as ServerBindings;
  const domain = bindings.requestContext?.domainName;
  if (typeof domain === 'string' && /^[a-z0-9.-]+$/i.test(domain)) return `https://${domain.toLowerCase()}`;
  const socket = bindings.incoming?.socket;
  if (socket?.localAddress && socket.localPort) {
    const address = socket.localAddress.replace(/^::ffff:/, '');
    const host = address.includes(':') ? `[${address}]` : address;
    return `${socket.encrypted ? 'https' : 'http'}://${host}:${socket.localPort}`;
  }
  return undefined;
}
