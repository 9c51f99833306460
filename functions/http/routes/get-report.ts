/**
 * `GET /workspaces/{workspace}/reports/{run}`: one run (or `latest`, the latest complete run):
 * its status and progress while it goes on, its summary and file links once it ended.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { HttpDeps } from '../deps';
import type { HttpEnv } from '../env';
import { RunParams } from '../params';
import { findRunStatus, runStatusBody } from '../run-status-body';
import { RunStatusResponse } from '../run-status-responses';
import { runNotFound } from './find-run';
import { errorResponses } from './openapi-errors';
import { requestOrigin } from './request-origin';

const route = createRoute({
  method: 'get',
  path: '/workspaces/{workspace}/reports/{run}',
  operationId: 'getReport',
  tags: ['reports'],
  summary: 'One run, or the latest complete run',
  description:
    "The run's status (running, complete, failed) with its progress; once it ended, its summary.json and links " +
    'to its files. A failed run (`error`) links only its summary.json. A run that died reads failed with ' +
    'error.code ABANDONED once its lease expired.',
  request: { params: RunParams },
  responses: {
    200: { description: 'The run', content: { 'application/json': { schema: RunStatusResponse } } },
    ...errorResponses(400, 404, 500),
  },
});

/** Adds the one-run route. */
export function registerGetReportRoute(app: OpenAPIHono<HttpEnv>, deps: HttpDeps): void {
  app.openapi(route, async (c) => {
    const { workspace, run } = c.req.valid('param');
    const status = await findRunStatus(deps.store, workspace, run);
    if (!status) throw runNotFound(workspace, run);
    return c.json(await runStatusBody(deps.store, requestOrigin(c), status), 200, {
      'Cache-Control': 'no-store',
    });
  });
}
