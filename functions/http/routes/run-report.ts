/** `POST /workspaces/{workspace}/reports?mode=`: run a report now, publish it, answer with links. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { publishReport } from '../../../lib/report/publish';
import { newRunId } from '../../../lib/report/run-id';
import { wantsHtml } from '../auth/wants-html';
import type { HttpDeps, HttpLogger } from '../deps';
import type { HttpEnv } from '../env';
import { requestIdOf } from '../errors';
import { paths, runLinks } from '../links';
import { RunQuery, WorkspaceParams } from '../params';
import { RunResponse } from '../responses';
import { runFailureProblem } from '../run-failure';
import { errorResponses } from './openapi-errors';
import { requestOrigin } from './request-origin';

const route = createRoute({
  method: 'post',
  path: '/workspaces/{workspace}/reports',
  operationId: 'startReport',
  tags: ['reports'],
  summary: 'Run a report now',
  description:
    'Walks every upload session and file of the workspace, publishes the run folder and then latest.json, ' +
    'and answers with the summary and download links. A run that cannot complete leaves latest.json as it ' +
    'was, marks its run folder incomplete, and answers 5xx.',
  request: { params: WorkspaceParams, query: RunQuery },
  responses: {
    201: {
      description: 'The run completed and was published',
      content: { 'application/json': { schema: RunResponse } },
    },
    303: { description: 'A browser form (Accept: text/html): back to the dashboard, showing the new run' },
    ...errorResponses(400, 404, 413, 500, 502),
  },
});

/** Adds the run-now route. */
export function registerRunReportRoute(app: OpenAPIHono<HttpEnv>, deps: HttpDeps, logger: HttpLogger): void {
  app.openapi(route, async (c) => {
    const { workspace } = c.req.valid('param');
    const { mode } = c.req.valid('query');
    const runId = newRunId();
    const client = await deps.createClient();
    const published = await publishReport({ client, store: deps.store, workspace, mode, runId }).catch(
      (error: unknown) => {
        throw runFailureProblem(error, runId);
      },
    );
    const { summary } = published;
    logger.info('report published', {
      request_id: requestIdOf(c),
      workspace,
      run_id: runId,
      mode,
      sessions: summary.sessions.total,
      files: summary.files.total,
      api_requests: summary.api_requests,
      latest: published.latest,
    });
    // The dashboard's button is a form: send the browser back to the dashboard, now showing this run.
    if (wantsHtml(c)) return c.redirect(paths.dashboard(workspace), 303) as never;
    const links = await runLinks(deps.store, requestOrigin(c), { workspace, runId }, published.keys);
    return c.json({ summary, links }, 201, { Location: links.self, 'Cache-Control': 'no-store' });
  });
}
