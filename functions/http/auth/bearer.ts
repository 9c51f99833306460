/**
 * Bearer access tokens from scripts, checked with jose against the issuer's published keys:
 * asymmetric signatures only (never `none`, never an HMAC a public key could forge), the exact
 * issuer, `exp` required and `exp`/`nbf` with at most a minute of clock skew, and the audience:
 * `aud` names ours, or, for a token without `aud` (Cognito's access tokens), `client_id` is our
 * client.
 */
import { errors, type JWTPayload, jwtVerify } from 'jose';
import { IssuerUnavailableError, type TrustedIssuer } from './issuer';
import { displayNameOf, groupsFromClaim, type User } from './user';

/** Signature algorithms a token may use: public-key ones only. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

export const CLOCK_SKEW_SECONDS = 60;

export interface BearerRules {
  issuer: TrustedIssuer;
  audience: string;
  clientId: string;
  groupsClaim: string;
}

/** Why a token was refused; the message is safe to show (it never quotes the token). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** The user a valid token speaks for; throws InvalidTokenError, or IssuerUnavailableError when the keys cannot be had. */
export async function verifyBearer(token: string, rules: BearerRules): Promise<User> {
  const keys = await rules.issuer.keys();
  const payload = await jwtVerify(token, keys, {
    algorithms: ASYMMETRIC_ALGORITHMS,
    issuer: rules.issuer.issuer,
    clockTolerance: CLOCK_SKEW_SECONDS,
    requiredClaims: ['exp', 'sub'],
  }).then(
    (verified) => verified.payload,
    (error: unknown) => {
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
        throw new IssuerUnavailableError("the issuer's signing keys could not be fetched", { cause: error });
      }
      throw new InvalidTokenError(reason(error), { cause: error });
    },
  );
  if (!audienceMatches(payload, rules)) throw new InvalidTokenError('the token is for another audience');
  // Cognito's ID tokens name the client in `aud` too; only its access tokens are for calling APIs.
  if (payload.token_use === 'id') throw new InvalidTokenError('an ID token is not an access token');
  const subject = payload.sub!;
  return {
    id: subject,
    displayName: displayNameOf(payload, subject),
    groups: groupsFromClaim(payload[rules.groupsClaim]),
    source: 'bearer',
  };
}

function audienceMatches(payload: JWTPayload, rules: BearerRules): boolean {
  if (payload.aud === undefined) return payload.client_id === rules.clientId;
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  return audiences.includes(rules.audience);
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signature algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed by an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is invalid";
  return 'the token is not a valid signed JWT';
}
