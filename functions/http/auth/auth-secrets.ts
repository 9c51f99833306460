/**
 * The sign-in secrets (the client secret, the session cookie key): given directly, or read from
 * Secrets Manager by ARN through Powertools Parameters, cached like the API key so a warm
 * function does not call Secrets Manager per request and a rotation is picked up within minutes.
 * Values are never logged or put in an error message.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { SECRET_CACHE_SECONDS, type SecretReader } from '../../shared/api-key';
import { MIN_COOKIE_SECRET_LENGTH, type OidcConfig, type SecretSource } from './auth-config';

export class AuthSecretUnavailableError extends Error {
  override name = 'AuthSecretUnavailableError';
}

const readFromSecretsManager: SecretReader = async (arn) => {
  const value = await getSecret(arn, { maxAge: SECRET_CACHE_SECONDS });
  if (value === undefined || typeof value === 'string') return value;
  return new TextDecoder().decode(value as Uint8Array);
};

export interface AuthSecrets {
  clientSecret: string;
  cookieSecret: string;
}

/** Both secrets; throws AuthSecretUnavailableError naming the variable when one is missing or too short. */
export async function resolveAuthSecrets(
  config: Pick<OidcConfig, 'clientSecret' | 'cookieSecret'>,
  readSecret: SecretReader = readFromSecretsManager,
): Promise<AuthSecrets> {
  const [clientSecret, cookieSecret] = await Promise.all([
    resolve(config.clientSecret, 'OIDC_CLIENT_SECRET_ARN', readSecret),
    resolve(config.cookieSecret, 'OIDC_AUTH_SECRET_ARN', readSecret),
  ]);
  if (cookieSecret.length < MIN_COOKIE_SECRET_LENGTH) {
    throw new AuthSecretUnavailableError(
      `the session key (OIDC_AUTH_SECRET_ARN) is shorter than ${MIN_COOKIE_SECRET_LENGTH} characters`,
    );
  }
  return { clientSecret, cookieSecret };
}

async function resolve(source: SecretSource, name: string, readSecret: SecretReader): Promise<string> {
  if ('value' in source) return source.value;
  const value = (await readSecret(source.arn))?.trim();
  if (!value) throw new AuthSecretUnavailableError(`the secret of ${name} is empty`);
  return value;
}
