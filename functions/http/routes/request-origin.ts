/** `https://host[:port]` of this app, for absolute links in responses. */
import type { Context } from 'hono';
import type { HttpEnv } from '../env';

/** The app's public origin (see auth/public-origin.ts): never the caller's Host header. */
export function requestOrigin(c: Context<HttpEnv>): string {
  return c.get('publicOrigin');
}
