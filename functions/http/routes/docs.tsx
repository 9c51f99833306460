/** `GET /openapi.json` (generated from the zod route definitions) and `GET /docs` (the same, as HTML). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthConfig } from '../auth/auth-config';
import { DocsPage } from '../docs/docs-page';
import type { HttpEnv } from '../env';
import { htmlResponse } from '../html-page';
import { openApiDocument } from './openapi-document';
import { requestOrigin } from './request-origin';

const OpenApiJson = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }) })
  .openapi('OpenApiDocument', { description: 'An OpenAPI 3.1 document' });

const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  tags: ['meta'],
  summary: 'This API, as an OpenAPI 3.1 document',
  description: 'Describes how this server runs: its origin and who may call it (the security schemes).',
  security: [],
  responses: {
    200: { description: 'The document', content: { 'application/json': { schema: OpenApiJson } } },
  },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  tags: ['meta'],
  summary: 'This documentation, as HTML',
  security: [],
  responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } } },
});

/** Adds `/openapi.json` and `/docs`; call after every other route is registered. */
export function registerDocsRoutes(app: OpenAPIHono<HttpEnv>, auth: AuthConfig): void {
  const document = openApiDocument(app, auth);
  app.openapi(openApiRoute, (c) => c.json(document(requestOrigin(c)), 200));
  app.openapi(docsRoute, (c) => htmlResponse(c, <DocsPage doc={document(requestOrigin(c))} />));
}
