/**
 * The deepset API key. On Lambda it comes from Secrets Manager (DEEPSET_API_KEY_SECRET_ARN)
 * through Powertools Parameters, cached for five minutes so warm invocations don't call
 * Secrets Manager each time, and rotation is picked up soon. Locally it comes from
 * DEEPSET_API_KEY. The value is never logged and never put in an error message.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Config } from './config';

export const SECRET_CACHE_SECONDS = 300;

/** Reads a secret string by ARN; replaceable in tests, where Secrets Manager cannot run. */
export type SecretReader = (arn: string) => Promise<string | undefined>;

const readFromSecretsManager: SecretReader = async (arn) => {
  const value = await getSecret(arn, { maxAge: SECRET_CACHE_SECONDS });
  if (value === undefined || typeof value === 'string') return value;
  return new TextDecoder().decode(value as Uint8Array);
};

export class ApiKeyUnavailableError extends Error {
  override name = 'ApiKeyUnavailableError';
}

export async function resolveApiKey(
  config: Pick<Config, 'apiKey' | 'apiKeySecretArn'>,
  readSecret: SecretReader = readFromSecretsManager,
): Promise<string> {
  if (config.apiKey) return config.apiKey;
  if (!config.apiKeySecretArn) {
    throw new ApiKeyUnavailableError('no API key: set DEEPSET_API_KEY or DEEPSET_API_KEY_SECRET_ARN');
  }
  const value = (await readSecret(config.apiKeySecretArn))?.trim();
  // A JSON secret ({"apiKey": "..."}) is accepted too, as the console's key/value editor makes one.
  const key = value?.startsWith('{') ? extractJsonKey(value) : value;
  if (!key) throw new ApiKeyUnavailableError('the API key secret (DEEPSET_API_KEY_SECRET_ARN) is empty');
  return key;
}

function extractJsonKey(json: string): string | undefined {
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const value = parsed.apiKey ?? parsed.api_key ?? parsed.DEEPSET_API_KEY;
    return typeof value === 'string' ? value.trim() : undefined;
  } catch {
    throw new ApiKeyUnavailableError('the API key secret holds invalid JSON');
  }
}
