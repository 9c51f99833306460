/**
 * The flags every cookie of the app carries, whoever set it: `SameSite=Lax` (sent on a top-level
 * navigation back from the identity provider, never on a cross-site POST or fetch), and `Secure`
 * exactly when the app is served over https (a local http server could not get it back otherwise).
 * @hono/oidc-auth sets HttpOnly and Secure but no SameSite, so this adjusts its cookies here.
 */
import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from '../env';

/** Rewrites the Set-Cookie headers of every response. */
export function cookieFlags(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    await next();
    const cookies = c.res.headers.getSetCookie();
    if (cookies.length === 0) return;
    const https = c.get('publicOrigin').startsWith('https:');
    // In place: assigning c.res would merge the old Set-Cookie headers back in.
    c.res.headers.delete('Set-Cookie');
    for (const cookie of cookies) c.res.headers.append('Set-Cookie', withFlags(cookie, https));
  };
}

/** `cookie` with SameSite=Lax (replacing any other SameSite) and Secure only on https. */
export function withFlags(cookie: string, https: boolean): string {
  const [pair = '', ...attributes] = cookie.split(';').map((part) => part.trim());
  const kept = attributes.filter((attribute) => !/^(samesite|secure)(=|$)/i.test(attribute));
  return [pair, ...kept, 'SameSite=Lax', ...(https ? ['Secure'] : [])].join('; ');
}
