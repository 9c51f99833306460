/**
 * How the app decides who may call it, from the environment. `HTTP_AUTH` picks the mode:
 * `oidc` (the app signs users in against an OpenID issuer and checks bearer tokens), `iam` (the
 * Function URL checks SigV4 before the app runs), or `none` (open: only for a local server).
 * On Lambda an unset or `none` mode is refused, so a deployment can never serve an open API by
 * accident. Messages name the variable and never echo a value (it may be a pasted secret).
 */
import { z } from 'zod';
import { ConfigError, parseEnv, optionalText as text } from '../../shared/config';

/** A secret given directly (local) or as a Secrets Manager ARN (Lambda). */
export type SecretSource = { value: string } | { arn: string };

export interface OidcConfig {
  mode: 'oidc';
  issuer: string;
  clientId: string;
  clientSecret: SecretSource;
  /** Signs the session cookie; at least 32 characters. */
  cookieSecret: SecretSource;
  /** Bearer tokens must name this in `aud` (or, without `aud`, have `client_id` = clientId). */
  audience: string;
  groupsClaim: string;
  /** Space-separated scopes asked for at sign-in (OIDC_SCOPES, default `openid email profile`). */
  scopes: string;
  /** OIDC_SCOPES was not set: `offline_access` is added where the provider supports it. */
  scopesDefaulted: boolean;
}

export type AuthConfig = { mode: 'none' } | { mode: 'iam' } | OidcConfig;

export const MIN_COOKIE_SECRET_LENGTH = 32;

const loopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/** An https URL, or http on this machine (the local stand-in provider). */
const issuerUrl = z.url().refine(
  (value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback(url));
  },
  { message: 'must be an https URL (http only on 127.0.0.1 or localhost)' },
);

const Env = z.object({
  HTTP_AUTH: text.pipe(z.enum(['oidc', 'iam', 'none']).optional()),
  OIDC_ISSUER: text.pipe(issuerUrl.optional()),
  OIDC_CLIENT_ID: text,
  OIDC_CLIENT_SECRET: text,
  OIDC_CLIENT_SECRET_ARN: text.pipe(z.string().startsWith('arn:').optional()),
  OIDC_AUTH_SECRET: text.pipe(
    z
      .string()
      .min(MIN_COOKIE_SECRET_LENGTH, `must be at least ${MIN_COOKIE_SECRET_LENGTH} characters`)
      .optional(),
  ),
  OIDC_AUTH_SECRET_ARN: text.pipe(z.string().startsWith('arn:').optional()),
  OIDC_AUDIENCE: text,
  OIDC_GROUPS_CLAIM: text,
  OIDC_SCOPES: text,
});
type Env = z.infer<typeof Env>;

/** The auth mode and its settings; throws ConfigError naming the variable when they are unusable. */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const e = parseEnv(Env, env);
  const onLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const mode = e.HTTP_AUTH ?? 'none';
  if (mode === 'none' && onLambda) {
    throw new ConfigError(
      `invalid HTTP_AUTH: ${e.HTTP_AUTH ? '"none"' : 'not set'}: on Lambda it must be "oidc" or "iam" (refusing to serve an open API)`,
    );
  }
  if (mode !== 'oidc') return { mode };
  return oidcConfig(e);
}

function oidcConfig(e: Env): OidcConfig {
  const issuer = required(e.OIDC_ISSUER, 'OIDC_ISSUER');
  const clientId = required(e.OIDC_CLIENT_ID, 'OIDC_CLIENT_ID');
  return {
    mode: 'oidc',
    issuer,
    clientId,
    clientSecret: secret(e.OIDC_CLIENT_SECRET, e.OIDC_CLIENT_SECRET_ARN, 'OIDC_CLIENT_SECRET'),
    cookieSecret: secret(e.OIDC_AUTH_SECRET, e.OIDC_AUTH_SECRET_ARN, 'OIDC_AUTH_SECRET'),
    audience: e.OIDC_AUDIENCE ?? clientId,
    groupsClaim: e.OIDC_GROUPS_CLAIM ?? 'groups',
    scopes: e.OIDC_SCOPES ?? 'openid email profile',
    scopesDefaulted: e.OIDC_SCOPES === undefined,
  };
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new ConfigError(`invalid ${name}: required when HTTP_AUTH=oidc`);
  return value;
}

function secret(value: string | undefined, arn: string | undefined, name: string): SecretSource {
  if (value !== undefined && arn !== undefined) {
    throw new ConfigError(`invalid ${name}: set either ${name} or ${name}_ARN, not both`);
  }
  if (value !== undefined) return { value };
  if (arn !== undefined) return { arn };
  throw new ConfigError(`invalid ${name}: required when HTTP_AUTH=oidc (or ${name}_ARN)`);
}
