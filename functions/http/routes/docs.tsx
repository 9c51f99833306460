/** `GET /openapi.json` (generated from the zod route definitions) and `GET /docs` (the same, as HTML). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthConfig } from '../auth/auth-config';
import { discoveryUrl } from '../auth/issuer';
import { DocsPage } from '../docs/docs-page';
import type { HttpEnv } from '../env';
import { htmlResponse } from '../html-page';
import { requestOrigin } from './request-origin';

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Ingestion reports',
    version: '0.1.0',
    description:
      'Reports on document ingestion in deepset AI Platform workspaces: run a report, list and read runs, ' +
      'download the CSVs, and look at the dashboard. Errors are JSON `{ "error": { "code", "message" } }`.',
  },
};

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  tags: ['meta'],
  summary: 'This documentation, as HTML',
  security: [],
  responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } } },
});

/** Adds `/openapi.json` and `/docs`; call after every other route is registered. */
export function registerDocsRoutes(app: OpenAPIHono<HttpEnv>, auth: AuthConfig): void {
  const security = describeSignIn(app, auth);
  const document = (origin: string) => ({ ...DOCUMENT, servers: [{ url: origin }], ...security });
  app.doc31('/openapi.json', (c) => document(requestOrigin(c)));
  app.openapi(docsRoute, (c) =>
    htmlResponse(c, <DocsPage doc={app.getOpenAPI31Document(document(requestOrigin(c)))} />),
  );
}

/** With sign-in on: the two ways in (a bearer token, or the browser's OpenID sign-in), required by default. */
function describeSignIn(
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
