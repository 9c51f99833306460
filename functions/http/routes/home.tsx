/** `GET /` (the home page) and `GET /workspaces` (the same list as JSON). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { HttpDeps, HttpLogger } from '../deps';
import type { HttpEnv } from '../env';
import { requestIdOf } from '../errors';
import { type WorkspaceOverview, workspaceOverviews } from '../home/overview';
import { HomePage } from '../home/page';
import { htmlResponse } from '../html-page';
import { errorResponses } from './openapi-errors';
import { requestOrigin } from './request-origin';

const WorkspaceItem = z
  .object({
    workspace: z.string(),
    run_id: z.string(),
    generated_at: z.string(),
    files: z.number().int(),
    failed: z.number().int(),
    pending: z.number().int(),
    failure_rate: z.number().openapi({ description: 'failed / files (0 for no files)' }),
    since_previous: z
      .union([
        z.object({ previous_run_id: z.string(), newly_failed: z.number().int() }),
        z.object({ unavailable: z.string() }),
      ])
      .nullable()
      .openapi({
        description:
          'Files newly failed since the previous complete run, or why the run had nothing to compare with; ' +
          'null for runs written before comparisons.',
      }),
    stuck: z
      .object({ after_hours: z.number(), sessions: z.number().int(), pending_files: z.number().int() })
      .nullable()
      .openapi({
        description:
          'Sessions with pending files created more than after_hours before the run, and their pending files; ' +
          'null for runs written before stuck counts.',
      }),
    links: z.object({
      dashboard: z.url(),
      files: z
        .record(z.string(), z.url())
        .openapi({ description: "This API's download route, by file name." }),
    }),
  })
  .openapi('WorkspaceOverview');

const WorkspaceList = z
  .object({ items: z.array(WorkspaceItem) })
  .openapi('WorkspaceList', { description: 'Highest failure rate first.' });

const listRoute = createRoute({
  method: 'get',
  path: '/workspaces',
  operationId: 'listWorkspaces',
  tags: ['reports'],
  summary: 'The workspaces you may read',
  description:
    'Every workspace the caller may read that has a complete run, with that run’s counts and links, ' +
    'highest failure rate first.',
  responses: {
    200: { description: 'The list', content: { 'application/json': { schema: WorkspaceList } } },
    ...errorResponses(500),
  },
});

const homeRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getHome',
  tags: ['dashboard'],
  summary: 'Home page',
  description: 'The same list as `GET /workspaces`, as a page, with links to each dashboard and the CSVs.',
  responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } } },
});

/** Adds `/` and `/workspaces`. */
export function registerHomeRoutes(app: OpenAPIHono<HttpEnv>, deps: HttpDeps, logger: HttpLogger): void {
  const overviews = (c: Context<HttpEnv>): Promise<WorkspaceOverview[]> =>
    workspaceOverviews(deps.store, c.get('user'), requestOrigin(c), (workspace, error) =>
      logger.error('unreadable latest run skipped', { request_id: requestIdOf(c), workspace, error }),
    );
  app.openapi(listRoute, async (c) =>
    c.json({ items: await overviews(c) }, 200, { 'Cache-Control': 'no-store' }),
  );
  app.openapi(homeRoute, async (c) =>
    htmlResponse(c, <HomePage user={c.get('user')} workspaces={await overviews(c)} />),
  );
}
