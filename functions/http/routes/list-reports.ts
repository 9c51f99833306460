/** `GET /workspaces/{workspace}/reports?limit=&cursor=`: past runs, newest first, a page at a time. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { runPrefix } from '../../../lib/report/layout';
import { listAllRunIds } from '../../../lib/report/run-list';
import { type RunStatus, readRunStatus } from '../../../lib/report/run-status';
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
    'Running, complete and failed runs (`status`; a running run counts what it has read so far). Page with `limit` and `cursor` (the `next_cursor` of the previous page). ' +
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
    const ids = await listAllRunIds(deps.store, workspace);
    // Newest first, so the runs after the cursor are the ones whose id sorts below it.
    const older = cursor === undefined ? ids : ids.filter((id) => id < cursor);
    const pageIds = older.slice(0, limit);
    const origin = requestOrigin(c);
    const runs = await Promise.all(
      pageIds.map((runId) =>
        readRunStatus(deps.store, workspace, runId, runPrefix(workspace, runId)).catch((error: unknown) => {
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

function listItem(run: RunStatus, origin: string): RunListItem {
  const { summary } = run;
  const self = origin + paths.run({ workspace: run.workspace, runId: run.run_id });
  return {
    run_id: run.run_id,
    status: run.status,
    started_at: run.started_at,
    generated_at: summary?.generated_at ?? run.updated_at,
    complete: summary?.complete ?? false,
    mode: run.mode,
    sessions: summary?.sessions.total ?? run.progress.sessions_done,
    files: {
      total: summary?.files.total ?? run.progress.files_seen,
      by_ingestion_status: summary?.files.by_ingestion_status ?? {},
    },
    progress: run.progress,
    ...(run.error ? { error: run.error } : {}),
    links: { self },
  };
}
