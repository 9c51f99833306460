/** `GET /openapi.json` (generated from the zod route definitions) and `GET /docs` (the same, as HTML). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthConfig } from '../auth/auth-config';
import { DocsPage } from '../docs/docs-page';
import type { HttpEnv } from '../env';
import { htmlResponse } from '../html-page';
import { describeSignIn, withSignInResponses } from './openapi-sign-in';
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
  const document = (origin: string) =>
    withSignInResponses(
      app.getOpenAPI31Document({ ...DOCUMENT, servers: [{ url: origin }], ...security }),
      auth,
    );
  app.get('/openapi.json', (c) => c.json(document(requestOrigin(c))));
  app.openapi(docsRoute, (c) => htmlResponse(c, <DocsPage doc={document(requestOrigin(c))} />));
}
