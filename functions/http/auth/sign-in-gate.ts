/**
 * The one gate every request passes before any route runs: public routes pass; a bearer token is
 * checked with jose; otherwise the session cookie. Without a user, a browser asking for a page is
 * sent to the identity provider, anything else gets 401 with `WWW-Authenticate: Bearer`. So no
 * route reads S3 or calls the upstream API for a caller nobody has signed in. A request that
 * rides on the session cookie and changes something must come from this app's own origin.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { HttpEnv } from '../env';
import { errorBody } from '../errors';
import type { AuthConfig } from './auth-config';
import { InvalidTokenError, verifyBearer } from './bearer';
import { IssuerUnavailableError } from './issuer';
import type { OidcRuntime } from './oidc-runtime';
import { signInUnavailable } from './oidc-runtime';
import {
  CALLBACK_PATH,
  configureSession,
  LOGOUT_PATH,
  SESSION_COOKIE,
  sessionUser,
  startSignIn,
} from './session';
import { iamUser, OPEN_USER } from './user';
import { wantsHtml } from './wants-html';

/** Routes anyone may call: liveness, the API's description, and the two ends of sign-in. */
export const PUBLIC_PATHS = new Set(['/healthz', '/docs', '/openapi.json', CALLBACK_PATH, LOGOUT_PATH]);

const REALM = 'Bearer realm="ingestion-reports"';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The gate for `config` (runtime present exactly when the mode is oidc). */
export function signInGate(config: AuthConfig, runtime: OidcRuntime | undefined): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (config.mode !== 'oidc' || !runtime) {
      c.set('user', config.mode === 'iam' ? iamUser(iamCaller(c)) : OPEN_USER);
      return next();
    }
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const authorization = c.req.header('Authorization');
    if (authorization !== undefined) return bearerRequest(c, next, authorization, runtime);
    return sessionRequest(c, next, runtime);
  };
}

async function bearerRequest(
  c: Context<HttpEnv>,
  next: () => Promise<void>,
  authorization: string,
  runtime: OidcRuntime,
): Promise<Response | undefined> {
  const token = /^Bearer +([^\s]+) *$/i.exec(authorization)?.[1];
  if (!token) return unauthenticated(c, 'the Authorization header must be "Bearer <access token>"', true);
  try {
    c.set('user', await verifyBearer(token, runtime.bearerRules));
  } catch (error) {
    if (error instanceof InvalidTokenError)
      return unauthenticated(c, `invalid bearer token: ${error.message}`, true);
    if (error instanceof IssuerUnavailableError) throw signInUnavailable(error);
    throw error;
  }
  await next();
  privateByDefault(c);
  return undefined;
}

async function sessionRequest(
  c: Context<HttpEnv>,
  next: () => Promise<void>,
  runtime: OidcRuntime,
): Promise<Response | undefined> {
  const signInPossible = wantsHtml(c) && SAFE_METHODS.has(c.req.method);
  // Without a cookie and with no sign-in to start, neither the issuer nor the secrets are needed.
  if (getCookie(c, SESSION_COOKIE) === undefined && !signInPossible) {
    return unauthenticated(c, 'sign in, or send Authorization: Bearer <access token>', false);
  }
  await configureSession(c, await runtime.sessionSetup());
  const user = await sessionUser(c);
  if (!user) {
    if (signInPossible) return startSignIn(c);
    return unauthenticated(c, 'sign in, or send Authorization: Bearer <access token>', false);
  }
  if (!SAFE_METHODS.has(c.req.method) && !fromOwnOrigin(c)) {
    return c.json(
      errorBody('CROSS_ORIGIN_REFUSED', 'a request signed in by cookie must come from this app’s own pages'),
      403,
    );
  }
  c.set('user', user);
  await next();
  privateByDefault(c);
  return undefined;
}

/** What one user may see must not be kept by a shared cache. */
function privateByDefault(c: Context<HttpEnv>): void {
  if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-cache');
}

/**
 * The browser says the request comes from a page of this app. Origin names it, except that our
 * pages' `Referrer-Policy: no-referrer` makes a browser send `Origin: null` on a form POST; then
 * Sec-Fetch-Site (which no page can set) must say same-origin.
 */
function fromOwnOrigin(c: Context<HttpEnv>): boolean {
  const origin = c.req.header('Origin');
  if (origin !== undefined && origin !== 'null') return origin === c.get('publicOrigin');
  return c.req.header('Sec-Fetch-Site') === 'same-origin';
}

/** The SigV4 caller's ARN from the Function URL event (hono/aws-lambda passes its request context). */
function iamCaller(c: Context<HttpEnv>): string | undefined {
  const context = (c.env as { requestContext?: { authorizer?: { iam?: { userArn?: unknown } } } } | undefined)
    ?.requestContext;
  const arn = context?.authorizer?.iam?.userArn;
  return typeof arn === 'string' ? arn : undefined;
}

function unauthenticated(c: Context<HttpEnv>, message: string, invalidToken: boolean): Response {
  const challenge = invalidToken ? `${REALM}, error="invalid_token"` : REALM;
  return c.json(errorBody('UNAUTHENTICATED', message), 401, {
    'WWW-Authenticate': challenge,
    'Cache-Control': 'no-store',
  });
}
