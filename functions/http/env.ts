/**
 * The Hono environment of the HTTP app: the request id set by `hono/request-id`, the app's own
 * public origin (never taken from the Host header), and the signed-in user.
 */
import type { RequestIdVariables } from 'hono/request-id';
import type { User } from './auth/user';

/** Hono `Env` of every route and middleware of the app. */
export interface HttpEnv {
  Variables: RequestIdVariables & {
    /** `https://host[:port]` links and redirects are built from; set by the first middleware. */
    publicOrigin: string;
    /** Who is calling; set by the sign-in gate (an anonymous user with every right when sign-in is off). */
    user: User;
  };
}
