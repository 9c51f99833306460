/**
 * Sign-in in the OpenAPI document, when it is on: the two ways in (a bearer token for scripts, the
 * OpenID sign-in for browsers) as security schemes required by default, and the 401 and 403
 * every protected operation can answer. Public operations say `security: []`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthConfig } from '../auth/auth-config';
import { discoveryUrl } from '../auth/issuer';
import type { HttpEnv } from '../env';

const SIGN_IN_RESPONSES = {
  401: 'No valid session or bearer token (`WWW-Authenticate: Bearer`); a browser asking for a page is sent to sign in instead',
  403: 'Signed in, but without a group that allows this on this workspace (the message names the groups)',
} as const;

/** Registers the security schemes; returns the document-level requirement. */
export function describeSignIn(
  app: OpenAPIHono<HttpEnv>,
  auth: AuthConfig,
): { security?: Record<string, string[]>[] } {
  if (auth.mode !== 'oidc') return {};
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `An access token from ${auth.issuer} for audience ${auth.audience}, carrying the groups claim.`,
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'oidc', {
    type: 'openIdConnect',
    openIdConnectUrl: discoveryUrl(auth.issuer).toString(),
    description: 'Browsers sign in through the identity provider and keep a session cookie.',
  });
  return { security: [{ bearer: [] }, { oidc: [] }] };
}

type Operation = { security?: unknown[]; responses?: Record<string, unknown> };
type Document = ReturnType<OpenAPIHono<HttpEnv>['getOpenAPI31Document']>;

/** Adds 401 and 403 to every operation that is not public. */
export function withSignInResponses(doc: Document, auth: AuthConfig): Document {
  if (auth.mode !== 'oidc') return doc;
  const error = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, Operation>)) {
      if (typeof operation !== 'object' || operation === null || !operation.responses) continue;
      if (Array.isArray(operation.security) && operation.security.length === 0) continue;
      for (const [status, description] of Object.entries(SIGN_IN_RESPONSES)) {
        operation.responses[status] ??= { description, content: error };
      }
    }
  }
  return doc;
}
