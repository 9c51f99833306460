/** `GET /healthz`: liveness. It touches nothing, so a slow store or API cannot fail it. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { HttpEnv } from '../env';
import { Health } from '../responses';

const route = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['meta'],
  summary: 'Liveness',
  security: [],
  responses: {
    200: { description: 'The function is up', content: { 'application/json': { schema: Health } } },
  },
});

/** Adds `GET /healthz`. */
export function registerHealthRoute(app: OpenAPIHono<HttpEnv>): void {
  app.openapi(route, (c) => c.json({ status: 'ok' as const }, 200));
}
