/** `GET /workspaces/{workspace}/reports/{run}`: one run (or `latest`): its summary and links. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { HttpDeps } from '../deps';
import type { HttpEnv } from '../env';
import { runLinks } from '../links';
import { RunParams } from '../params';
import { RunResponse } from '../responses';
import { findRun } from './find-run';
import { errorResponses } from './openapi-errors';
import { requestOrigin } from './request-origin';

const route = createRoute({
  method: 'get',
  path: '/workspaces/{workspace}/reports/{run}',
  operationId: 'getReport',
  tags: ['reports'],
  summary: 'One run, or the latest complete run',
  description:
    "The run's summary.json and links to its files. An incomplete run (`complete: false`, with `error`) " +
    'links only its summary.json.',
  request: { params: RunParams },
  responses: {
    200: { description: 'The run', content: { 'application/json': { schema: RunResponse } } },
    ...errorResponses(400, 404, 500),
  },
});

/** Adds the one-run route. */
export function registerGetReportRoute(app: OpenAPIHono<HttpEnv>, deps: HttpDeps): void {
  app.openapi(route, async (c) => {
    const { workspace, run } = c.req.valid('param');
    const stored = await findRun(deps.store, workspace, run);
    const ref = { workspace, runId: stored.runId };
    const links = await runLinks(deps.store, requestOrigin(c), ref, stored.keys);
    return c.json({ summary: stored.summary, links }, 200, { 'Cache-Control': 'no-store' });
  });
}
