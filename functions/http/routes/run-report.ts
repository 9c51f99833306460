/**
 * `POST /workspaces/{workspace}/reports?mode=`: start a run and answer at once. The run takes
 * the workspace's lease here, so a second POST while it lives gets 409 and the running run's
 * link; then the launcher gets it going (in this process for `npm start`, the run function on
 * Lambda) and the caller polls the status.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { claimRun, RunInProgressError } from '../../../lib/report/leased-run';
import { wantsHtml } from '../auth/wants-html';
import type { HttpDeps, HttpLogger } from '../deps';
import type { HttpEnv } from '../env';
import { requestIdOf } from '../errors';
import { paths } from '../links';
import { RunQuery, WorkspaceParams } from '../params';
import type { RunLauncher } from '../run-launcher';
import { RunConflict, RunStarted } from '../run-status-responses';
import { errorResponses } from './openapi-errors';
import { requestOrigin } from './request-origin';

const route = createRoute({
  method: 'post',
  path: '/workspaces/{workspace}/reports',
  operationId: 'startReport',
  tags: ['reports'],
  summary: 'Start a report run',
  description:
    'Starts a run of the workspace and answers 202 at once; the run goes on in the background. Poll ' +
    '`links.self` (also the Location header) for its status and progress. One run per workspace at a time: ' +
    'while one runs, the answer is 409 RUN_IN_PROGRESS with its link. A run that cannot complete leaves ' +
    'latest.json as it was and its run folder with only summary.json (complete: false) and status.json.',
  request: { params: WorkspaceParams, query: RunQuery },
  responses: {
    202: {
      description: 'The run started',
      headers: { Location: { schema: { type: 'string' }, description: 'The run status URL' } },
      content: { 'application/json': { schema: RunStarted } },
    },
    303: { description: 'A browser form (Accept: text/html): to the dashboard, which follows the run' },
    409: {
      description: 'Another run of the workspace is in progress (RUN_IN_PROGRESS)',
      content: { 'application/json': { schema: RunConflict } },
    },
    ...errorResponses(400, 500),
  },
});

/** Adds the run-now route. */
export function registerRunReportRoute(
  app: OpenAPIHono<HttpEnv>,
  deps: HttpDeps,
  logger: HttpLogger,
  launcher: RunLauncher,
): void {
  app.openapi(route, async (c) => {
    const { workspace } = c.req.valid('param');
    const { mode } = c.req.valid('query');
    const origin = requestOrigin(c);
    let claimed: Awaited<ReturnType<typeof claimRun>>;
    try {
      claimed = await claimRun({ store: deps.store, workspace, mode, ...deps.runLease });
    } catch (error) {
      if (!(error instanceof RunInProgressError)) throw error;
      if (wantsHtml(c)) return c.redirect(paths.dashboard(workspace), 303) as never;
      const run = origin + paths.run({ workspace, runId: error.runId });
      const body = {
        error: { code: error.code, message: error.message },
        run_id: error.runId,
        links: { run },
      };
      return c.json(body, 409, { Location: run, 'Cache-Control': 'no-store' });
    }
    const ref = { workspace, runId: claimed.runId };
    try {
      await launcher.launch(claimed);
    } catch (error) {
      // The run never started: it reads failed at once, and the lease is free for the next.
      await claimed.abandon({ code: 'LAUNCH_FAILED', message: 'the run could not be started' });
      throw error;
    }
    logger.info('report run started', { request_id: requestIdOf(c), workspace, run_id: claimed.runId, mode });
    // The dashboard's button is a form: back to the dashboard, which shows the run going on.
    if (wantsHtml(c)) return c.redirect(paths.dashboard(workspace), 303) as never;
    const self = origin + paths.run(ref);
    return c.json({ run_id: claimed.runId, status: 'running' as const, links: { self } }, 202, {
      Location: self,
      'Cache-Control': 'no-store',
    });
  });
}
