/**
 * The OpenID issuer the app trusts: its discovery document (fetched once, checked to name exactly
 * the configured issuer) and its signing keys (jose's remote key set, which caches them and
 * refetches when a token names a key it has not seen). A failed fetch is not cached, so the next
 * request tries again.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

const Discovery = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  end_session_endpoint: z.url().optional(),
  revocation_endpoint: z.url().optional(),
  scopes_supported: z.array(z.string()).optional(),
});
export type Discovery = z.infer<typeof Discovery>;

export class IssuerUnavailableError extends Error {
  override name = 'IssuerUnavailableError';
}

const DISCOVERY_TIMEOUT_MS = 5_000;

export interface TrustedIssuer {
  readonly issuer: string;
  discovery(): Promise<Discovery>;
  /** The issuer's signing keys, for jose's jwtVerify. */
  keys(): Promise<JWTVerifyGetKey>;
}

/** `<issuer>/.well-known/openid-configuration` (a trailing slash of the issuer is not doubled). */
export function discoveryUrl(issuer: string): URL {
  const url = new URL(issuer);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return url;
}

/** The issuer at `issuer`, discovered lazily. */
export function trustedIssuer(issuer: string): TrustedIssuer {
  let discovered: Promise<Discovery> | undefined;
  let keySet: JWTVerifyGetKey | undefined;
  const discovery = () => {
    discovered ??= discover(issuer).catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };
  return {
    issuer,
    discovery,
    keys: async () => {
      keySet ??= createRemoteJWKSet(new URL((await discovery()).jwks_uri), {
        timeoutDuration: DISCOVERY_TIMEOUT_MS,
      });
      return keySet;
    },
  };
}

async function discover(issuer: string): Promise<Discovery> {
  const url = discoveryUrl(issuer);
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new IssuerUnavailableError(`OpenID discovery at ${url} failed`, { cause: error });
  });
  if (!response.ok)
    throw new IssuerUnavailableError(`OpenID discovery at ${url} answered ${response.status}`);
  const parsed = Discovery.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new IssuerUnavailableError(
      `OpenID discovery at ${url} is invalid: ${parsed.error.issues[0]!.message}`,
    );
  }
  if (parsed.data.issuer !== issuer) {
    throw new IssuerUnavailableError(
      `OpenID discovery at ${url} names another issuer (OIDC_ISSUER must match it exactly)`,
    );
  }
  return parsed.data;
}
