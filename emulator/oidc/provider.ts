/**
 * A local OpenID provider on 127.0.0.1 for trying sign-in with no identity provider account:
 * panva's oidc-provider (a certified implementation) with the demo users of ./users, its own
 * login form (./interactions), one confidential client for the app (code flow with PKCE), and
 * RS256 keys made at start. The app reaches it only through the OIDC_* variables, as it would
 * reach Entra ID or Cognito. Nothing is kept: a restart forgets sessions and keys.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { interactions } from './interactions';
import { DEMO_USERS, findUser, SCRIPT_CLIENT_ID, SCRIPT_GROUPS } from './users';

export const LOCAL_CLIENT_ID = 'ingestion-reports-local';
/** The resource indicator of the app's API; its tokens carry the app's client ID as audience. */
const API_RESOURCE = 'urn:ingestion-reports:api';

export interface LocalOidcOptions {
  /** The app's callback URL (`<app origin>/auth/callback`), registered for the client. */
  redirectUri: string;
  /** Default: any free port. */
  port?: number;
  /** The demo users' password; default: random. */
  password?: string;
}

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The script client's secret, for `grant_type=client_credentials` at the token endpoint. */
  scriptSecret: string;
  password: string;
  users: typeof DEMO_USERS;
  /** The app's environment for this provider (the same contract as any other issuer). */
  env: Record<string, string>;
  close(): Promise<void>;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export async function startLocalOidcProvider(options: LocalOidcOptions): Promise<LocalOidcProvider> {
  const password = options.password ?? random(9);
  const clientSecret = random(24);
  const scriptSecret = random(24);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, await configuration(options.redirectUri, clientSecret, scriptSecret));
  const login = interactions(provider, password, LOCAL_CLIENT_ID);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    login(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        `sign-in failed: ${error instanceof Error ? error.message : 'unknown error'} (start again from the app)`,
      );
    });
  });
  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    clientSecret,
    scriptSecret,
    password,
    users: DEMO_USERS,
    env: {
      HTTP_AUTH: 'oidc',
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: LOCAL_CLIENT_ID,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_AUTH_SECRET: random(36),
    },
    close: () => closeServer(server),
  };
}

async function configuration(
  redirectUri: string,
  clientSecret: string,
  scriptSecret: string,
): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: `local-${random(6)}`,
    alg: 'RS256',
    use: 'sig',
  };
  return {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: SCRIPT_CLIENT_ID,
        client_secret: scriptSecret,
        redirect_uris: [],
        response_types: [],
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [random(32)] },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username', 'groups'],
    },
    // The claims of the granted scopes go into the ID token too: the app's session is built from it.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      // Client-credentials tokens are JWTs for the app (opaque tokens could not be checked with keys alone).
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx) =>
          ctx.oidc.params?.grant_type === 'client_credentials' ? API_RESOURCE : undefined,
        getResourceServerInfo: () => ({
          scope: 'reports',
          audience: LOCAL_CLIENT_ID,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) =>
      token.kind === 'ClientCredentials' ? { groups: SCRIPT_GROUPS } : undefined,
    // A refresh token whenever the client may use one, so the app's session refresh is exercised locally.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      AccessToken: 600,
      IdToken: 600,
      RefreshToken: 8 * 3600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const user = findUser(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: user.email,
          email_verified: true,
          name: user.name,
          preferred_username: user.username,
          groups: user.groups,
        }),
      };
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
