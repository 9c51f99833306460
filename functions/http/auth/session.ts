/**
 * Browser sessions through @hono/oidc-auth: the authorization-code flow with PKCE, state and
 * nonce, a session cookie signed with the cookie key, refresh, the callback and sign-out. This
 * file configures it per request from the app's own origin (never the Host header), hands it the
 * discovery document we already checked, and keeps the user's groups in the session.
 */
import {
  getAuth,
  initOidcAuthMiddleware,
  type OidcAuth,
  oidcAuthMiddleware,
  processOAuthCallback,
  revokeSession,
} from '@hono/oidc-auth';
import type { Context } from 'hono';
import type { HttpEnv } from '../env';
import type { OidcConfig } from './auth-config';
import type { AuthSecrets } from './auth-secrets';
import type { Discovery } from './issuer';
import { displayNameOf, groupsFromClaim, type User } from './user';

export const CALLBACK_PATH = '/auth/callback';
export const LOGOUT_PATH = '/logout';
export const SESSION_COOKIE = 'reports-session';

/** Everything a request's sign-in needs, resolved before the flow runs. */
export interface SessionSetup {
  config: OidcConfig;
  secrets: AuthSecrets;
  discovery: Discovery;
}

/** Configures @hono/oidc-auth for this request; call before any function below. */
export async function configureSession(c: Context<HttpEnv>, setup: SessionSetup): Promise<void> {
  const origin = c.get('publicOrigin');
  const { config, secrets } = setup;
  // Every value is set, so nothing falls back to a stray process variable of the same name.
  await initOidcAuthMiddleware({
    OIDC_ISSUER: config.issuer,
    OIDC_CLIENT_ID: config.clientId,
    OIDC_CLIENT_SECRET: secrets.clientSecret,
    OIDC_AUTH_SECRET: secrets.cookieSecret,
    OIDC_REDIRECT_URI: `${origin}${CALLBACK_PATH}`,
    // The page to return to after sign-in is built on this origin, not on the request's Host.
    OIDC_AUTH_EXTERNAL_URL: origin,
    OIDC_SCOPES: scopesFor(config, setup.discovery),
    OIDC_COOKIE_NAME: SESSION_COOKIE,
    OIDC_COOKIE_PATH: '/',
    OIDC_AUDIENCE: '',
    OIDC_JWT_ALG: 'HS256',
  })(c as Context, async () => {});
  // Already fetched and checked (issuer exact); saves a discovery request per sign-in.
  c.set('oidcAuthorizationServer' as never, setup.discovery as never);
  c.set(
    'oidcClaimsHook' as never,
    (async (previous: OidcAuth | undefined, claims: Record<string, unknown> | undefined) => {
      const subject = String(claims?.sub ?? previous?.sub ?? '');
      return {
        sub: subject,
        name: claims ? displayNameOf(claims, subject) : String(previous?.name ?? subject),
        groups: claims ? appGroups(claims[config.groupsClaim]) : groupsFromClaim(previous?.groups),
      };
    }) as never,
  );
}

/**
 * The scopes to ask for: OIDC_SCOPES, plus `offline_access` where the provider offers it and
 * OIDC_SCOPES was not set, so the session can be refreshed instead of ending every 15 minutes.
 */
export function scopesFor(config: OidcConfig, discovery: Discovery): string {
  if (!config.scopesDefaulted || !discovery.scopes_supported?.includes('offline_access'))
    return config.scopes;
  return `${config.scopes} offline_access`;
}

/** Only this app's groups go into the cookie: providers may send hundreds of others. */
function appGroups(claim: unknown): string[] {
  return groupsFromClaim(claim).filter((group) => group.startsWith('reports-'));
}

/** The user of a valid session cookie (refreshed when due), or undefined. */
export async function sessionUser(c: Context<HttpEnv>): Promise<User | undefined> {
  const auth = await getAuth(c as Context).catch(() => null);
  if (!auth?.sub) return undefined;
  return {
    id: String(auth.sub),
    displayName: String(auth.name ?? auth.sub),
    groups: groupsFromClaim(auth.groups),
    source: 'session',
  };
}

/** 302 to the issuer's authorization endpoint, with the state, nonce and PKCE cookies. */
export async function startSignIn(c: Context<HttpEnv>): Promise<Response> {
  const response = await oidcAuthMiddleware()(c as Context, async () => {});
  if (!(response instanceof Response)) throw new Error('sign-in did not produce a redirect');
  return response;
}

/** Completes the code flow; the response redirects to a path on this app only. */
export async function completeSignIn(c: Context<HttpEnv>): Promise<Response> {
  const response = await processOAuthCallback(c as Context);
  response.headers.set('Location', returnPath(response.headers.get('Location'), c.get('publicOrigin')));
  return response;
}

/** Revokes the refresh token where the issuer allows it, and removes the session cookie. */
export async function endSession(c: Context<HttpEnv>): Promise<void> {
  await revokeSession(c as Context);
}

/**
 * Where to send the user after sign-in: the path (and query) of `target` when it is on `origin`,
 * otherwise `/`. Leading slashes are collapsed, so `//evil.example` cannot become another host.
 */
export function returnPath(target: string | null, origin: string): string {
  if (!target) return '/';
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  return `${url.pathname.replace(/^[/\\]+/, '/')}${url.search}`;
}
