/** `GET /workspaces/{workspace}/dashboard`: the latest complete run as a page of charts. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { may } from '../auth/user';
import { DashboardPage, EmptyDashboardPage, loadDashboard } from '../dashboard';
import { consoleLogger, type HttpDeps } from '../deps';
import type { HttpEnv } from '../env';
import { requestIdOf } from '../errors';
import { htmlResponse } from '../html-page';
import { WorkspaceParams } from '../params';
import { errorResponses } from './openapi-errors';

const route = createRoute({
  method: 'get',
  path: '/workspaces/{workspace}/dashboard',
  operationId: 'getDashboard',
  tags: ['dashboard'],
  summary: 'Dashboard of the latest complete run',
  description:
    'Server-rendered HTML with inline SVG charts (files by status, failures by reason, the sessions with the ' +
    'most failures, the trend over the last runs), each with a table fallback, and links to the CSVs. ' +
    'A workspace with no complete run gets a page saying so. A run whose summary.json cannot be read is ' +
    'left out (the newest readable complete run stands in for a damaged latest one).',
  request: { params: WorkspaceParams },
  responses: {
    200: { description: 'The dashboard', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses(400, 500),
  },
});

/** Adds the dashboard route. */
export function registerDashboardRoute(app: OpenAPIHono<HttpEnv>, deps: HttpDeps): void {
  const logger = deps.logger ?? consoleLogger;
  app.openapi(route, async (c) => {
    const { workspace } = c.req.valid('param');
    // Like the run list: a damaged summary.json hides that run, not the page, and the log says which.
    const data = await loadDashboard(deps.store, workspace, (runId, error) =>
      logger.error('unreadable run skipped', { request_id: requestIdOf(c), workspace, run_id: runId, error }),
    );
    const user = c.get('user');
    const canRun = may(user, 'run', workspace);
    return htmlResponse(
      c,
      data ? (
        <DashboardPage data={data} user={user} canRun={canRun} />
      ) : (
        <EmptyDashboardPage workspace={workspace} user={user} canRun={canRun} />
      ),
    );
  });
}
