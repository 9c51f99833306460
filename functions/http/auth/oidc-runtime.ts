/**
 * The sign-in machinery of one app instance when HTTP_AUTH=oidc: the trusted issuer (discovery
 * and keys, cached for the life of the process) and the secrets (cached by Powertools on Lambda).
 * Failures to reach either become a 503 that names no secret; the details go to the log.
 */
import type { SecretReader } from '../../shared/api-key';
import { HttpProblem } from '../errors';
import type { OidcConfig } from './auth-config';
import { resolveAuthSecrets } from './auth-secrets';
import type { BearerRules } from './bearer';
import { type TrustedIssuer, trustedIssuer } from './issuer';
import type { SessionSetup } from './session';

export interface OidcRuntime {
  config: OidcConfig;
  bearerRules: BearerRules;
  /** Discovery and secrets for a browser sign-in; throws a 503 HttpProblem when unavailable. */
  sessionSetup(): Promise<SessionSetup>;
}

/** The runtime for `config`; `readSecret` replaces Secrets Manager in tests. */
export function oidcRuntime(config: OidcConfig, readSecret?: SecretReader): OidcRuntime {
  const issuer: TrustedIssuer = trustedIssuer(config.issuer);
  return {
    config,
    bearerRules: {
      issuer,
      audience: config.audience,
      clientId: config.clientId,
      groupsClaim: config.groupsClaim,
    },
    sessionSetup: async () => {
      const [discovery, secrets] = await Promise.all([
        issuer.discovery(),
        readSecret ? resolveAuthSecrets(config, readSecret) : resolveAuthSecrets(config),
      ]).catch((error: unknown) => {
        throw signInUnavailable(error);
      });
      return { config, discovery, secrets };
    },
  };
}

/** The 503 for an identity provider or secret that cannot be had right now. */
export function signInUnavailable(error: unknown): HttpProblem {
  return new HttpProblem(503, 'SIGN_IN_UNAVAILABLE', 'sign-in is unavailable right now', { cause: error });
}
