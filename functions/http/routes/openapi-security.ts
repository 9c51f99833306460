/**
 * Who may call, in the OpenAPI document, as the running mode really is, so a generated client
 * knows how to authenticate: sign-in (`oidc`) offers a bearer token for scripts and the OpenID
 * sign-in for browsers; `iam` is AWS SigV4, checked by the Function URL before the app runs (so
 * nothing is public there); the open local mode asks for nothing and says so. Each mode also adds
 * the refusals that come from in front of the app (the Function URL, or Node's HTTP server).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthConfig } from '../auth/auth-config';
import { discoveryUrl } from '../auth/issuer';
import type { HttpEnv } from '../env';

type Document = ReturnType<OpenAPIHono<HttpEnv>['getOpenAPI31Document']>;
type Requirement = Record<string, string[]>;
type Operation = { security?: Requirement[]; responses?: Record<string, unknown> };
type Response = { description: string; content?: unknown };

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

const SIGNED_IN_RESPONSES: Record<string, Response> = {
  401: {
    description:
      'UNAUTHENTICATED: no valid session or bearer token (`WWW-Authenticate: Bearer`); a browser asking for a page is sent to sign in instead',
    content: ERROR_CONTENT,
  },
  403: {
    description:
      'FORBIDDEN: signed in, but without a group that allows this on this workspace (the message names the groups); ' +
      'CROSS_ORIGIN_REFUSED: a change riding on the session cookie that did not come from this app’s pages',
    content: ERROR_CONTENT,
  },
  503: {
    description:
      'SIGN_IN_UNAVAILABLE: the identity provider or the sign-in secrets cannot be reached right now',
    content: ERROR_CONTENT,
  },
};

/** On AWS the Function URL answers these itself, before the app runs: AWS’s body, not `Error`. */
const THROTTLED: Response = {
  description:
    'Throttled by the Lambda Function URL: every instance the function may run (its reserved concurrency) is busy. Retry after a moment.',
};
const SIGV4_REFUSED: Response = {
  description:
    'Refused by the Lambda Function URL before the app runs: the request is not signed with AWS SigV4, or the signer may not call `lambda:InvokeFunctionUrl`.',
};
/** The open mode only runs on a local server, and Node's HTTP server refuses oversized headers itself. */
const HEADERS_TOO_LARGE: Response = {
  description:
    'Refused by the local HTTP server before the app runs: the request headers are over its limit.',
};

const NOTES = {
  none:
    'Sign-in is off on this server (`HTTP_AUTH=none`): it asks no one for credentials, which is why it only ' +
    'listens on 127.0.0.1. A deployment runs with `oidc` or `iam`.',
  iam:
    'Every request, including `/healthz` and `/docs`, must be signed with AWS SigV4 (service `lambda`) by a ' +
    'principal allowed `lambda:InvokeFunctionUrl`: the Function URL checks it before the app runs.',
  oidc:
    'Scripts send an access token from the identity provider as `Authorization: Bearer <token>`; browsers ' +
    'sign in and keep a session cookie. What a caller may do in a workspace comes from the groups claim.',
} as const;

/** Registers the mode's security schemes; returns the document-level requirement and a note for `info`. */
export function registerSecurity(
  app: OpenAPIHono<HttpEnv>,
  auth: AuthConfig,
): { security?: Requirement[]; note: string } {
  if (auth.mode === 'none') return { note: NOTES.none };
  if (auth.mode === 'iam') {
    app.openAPIRegistry.registerComponent('securitySchemes', 'sigv4', {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'AWS Signature Version 4 (service `lambda`), checked by the Lambda Function URL (AuthType AWS_IAM).',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    });
    return { security: [{ sigv4: [] }], note: NOTES.iam };
  }
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
  return { security: [{ bearer: [] }, { oidc: [] }], note: NOTES.oidc };
}

/** Each operation's requirement and the refusals the mode adds, in place. */
export function describeAccess(doc: Document, auth: AuthConfig): Document {
  for (const operation of operationsOf(doc)) {
    const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
    if (auth.mode === 'none') {
      operation.security = [];
      addResponses(operation, { 431: HEADERS_TOO_LARGE });
    } else if (auth.mode === 'iam') {
      // The Function URL signs off every path, the app's public ones included.
      delete operation.security;
      addResponses(operation, { 403: SIGV4_REFUSED, 429: THROTTLED });
    } else {
      if (!isPublic) addResponses(operation, SIGNED_IN_RESPONSES);
      addResponses(operation, { 429: THROTTLED });
    }
  }
  return doc;
}

/** Adds what is not there yet, keeping the statuses in order. */
function addResponses(operation: Operation, responses: Record<string, Response>): void {
  const merged: Record<string, unknown> = { ...responses, ...operation.responses };
  operation.responses = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

function operationsOf(doc: Document): Operation[] {
  const operations: Operation[] = [];
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, unknown>)) {
      if (typeof operation === 'object' && operation !== null && 'responses' in operation) {
        operations.push(operation as Operation);
      }
    }
  }
  return operations;
}
