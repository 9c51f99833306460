/** The Hono environment of the HTTP app: the request id set by `hono/request-id`. */
import type { RequestIdVariables } from 'hono/request-id';

/** Hono `Env` of every route and middleware of the app. */
export interface HttpEnv {
  Variables: RequestIdVariables;
}
