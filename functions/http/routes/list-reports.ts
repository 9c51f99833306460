/** `GET /workspaces/{workspace}/reports?limit=&cursor=`: past runs, newest first, a page at a time. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { listRunIds, readRun, type StoredRun } from '../../../lib/report/catalog';
import type { HttpDeps, HttpLogger } from '../deps';
import type { HttpEnv } from '../env';
import { requestIdOf } from '../errors';
import { paths } from '../links';
import { ListQuery, WorkspaceParams } from '../params';
import { RunList, type RunListItem } from '../responses';
import { errorResponses } from './openapi-errors';
import { requestOrigin } from './request-origin';

const route = createRoute({
  method: 'get',
  path: '/workspaces/{workspace}/reports',
  operationId: 'listReports',
  tags: ['reports'],
  summary: 'List runs, newest first',
  description:
    'Complete and incomplete runs. Page with `limit` and `cursor` (the `next_cursor` of the previous page). ' +
    'A workspace with no runs has an empty list.',
  request: { params: WorkspaceParams, query: ListQuery },
  responses: {
    200: { description: 'One page of runs', content: { 'application/json': { schema: RunList } } },
    ...errorResponses(400, 500),
  },
});

/** Adds the list route. */
export function registerListReportsRoute(
  app: OpenAPIHono<HttpEnv>,
  deps: HttpDeps,
  logger: HttpLogger,
): void {
  app.openapi(route, async (c) => {
    const { workspace } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const ids = await listRunIds(deps.store, workspace);
    // Newest first, so the runs after the cursor are the ones whose id sorts below it.
    const older = cursor === undefined ? ids : ids.filter((id) => id < cursor);
    const pageIds = older.slice(0, limit);
    const origin = requestOrigin(c);
    const runs = await Promise.all(
      pageIds.map((runId) =>
        readRun(deps.store, workspace, runId).catch((error: unknown) => {
          // One damaged summary.json must not hide every other run: skip it, and say so in the log.
          logger.error('unreadable run skipped', {
            request_id: requestIdOf(c),
            workspace,
            run_id: runId,
            error,
          });
          return undefined;
        }),
      ),
    );
    const items = runs.filter((run) => run !== undefined).map((run) => listItem(run, origin));
    const nextCursor = older.length > limit ? (pageIds.at(-1) ?? null) : null;
    return c.json({ workspace, items, next_cursor: nextCursor }, 200);
  });
}

function listItem(run: StoredRun, origin: string): RunListItem {
  const { summary } = run;
  return {
    run_id: run.runId,
    generated_at: summary.generated_at,
    complete: summary.complete,
    mode: summary.mode,
    sessions: summary.sessions.total,
    files: { total: summary.files.total, by_ingestion_status: summary.files.by_ingestion_status },
    ...(summary.error ? { error: summary.error } : {}),
    links: { self: origin + paths.run({ workspace: summary.workspace, runId: run.runId }) },
  };
}
