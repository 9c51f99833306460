/**
 * `GET /auth/callback` (where the identity provider sends the browser back with a code) and
 * `GET /logout`. Registered only when sign-in is on.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { SignedOutPage, SignInFailedPage } from '../auth/auth-pages';
import type { OidcRuntime } from '../auth/oidc-runtime';
import { CALLBACK_PATH, completeSignIn, configureSession, endSession, LOGOUT_PATH } from '../auth/session';
import type { HttpLogger } from '../deps';
import type { HttpEnv } from '../env';
import { requestIdOf } from '../errors';
import { htmlResponse } from '../html-page';

const callbackRoute = createRoute({
  method: 'get',
  path: CALLBACK_PATH,
  operationId: 'completeSignIn',
  tags: ['sign-in'],
  summary: 'Sign-in callback',
  description:
    'The redirect URI to register with the identity provider. Exchanges the code (PKCE, state and nonce ' +
    'checked), sets the session cookie, and returns to the page the user asked for, on this app only.',
  security: [],
  responses: {
    302: { description: 'Signed in: back to the page first asked for' },
    400: { description: 'The answer could not be used', content: { 'text/html': { schema: z.string() } } },
  },
});

const logoutRoute = createRoute({
  method: 'get',
  path: LOGOUT_PATH,
  operationId: 'signOut',
  tags: ['sign-in'],
  summary: 'Sign out',
  description: 'Removes the session cookie and revokes its refresh token where the provider supports that.',
  security: [],
  responses: { 200: { description: 'Signed out', content: { 'text/html': { schema: z.string() } } } },
});

/** Adds the callback and sign-out routes. */
export function registerSignInRoutes(
  app: OpenAPIHono<HttpEnv>,
  runtime: OidcRuntime,
  logger: HttpLogger,
): void {
  app.openapi(callbackRoute, async (c) => {
    await configureSession(c, await runtime.sessionSetup());
    try {
      return (await completeSignIn(c)) as never;
    } catch (error) {
      logger.error('sign-in callback refused', { request_id: requestIdOf(c), error });
      return htmlResponse(c, <SignInFailedPage requestId={requestIdOf(c)} />, 400) as never;
    }
  });
  app.openapi(logoutRoute, async (c) => {
    await configureSession(c, await runtime.sessionSetup());
    await endSession(c).catch((error: unknown) => {
      // The cookie is gone either way; a provider that refuses revocation only costs a log line.
      logger.error('refresh token revocation failed', { request_id: requestIdOf(c), error });
    });
    return htmlResponse(c, <SignedOutPage />);
  });
}
