/**
 * The HTTP API: the Hono app (routes, validation, errors, dashboard, docs) and what it needs.
 * The Lambda entry is `./lambda` (not re-exported: it builds its dependencies from the environment).
 */
export { createHttpApp, MAX_BODY_BYTES } from './app';
export { consoleLogger, type HttpDeps, type HttpLogger } from './deps';
export type { HttpEnv } from './env';
export { ErrorBody, errorBody, HttpProblem } from './errors';
export { LINK_PRESIGN_SECONDS, REDIRECT_PRESIGN_SECONDS } from './links';
