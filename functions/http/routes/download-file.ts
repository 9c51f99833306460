/**
 * `GET /workspaces/{workspace}/reports/{run}/{file}`: 302 to a presigned URL of the file, with
 * an attachment filename. The CSVs never pass through the function (a Function URL caps
 * response size, and S3 serves them faster).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { REPORT_FILES } from '../../../lib/report/columns';
import type { HttpDeps } from '../deps';
import type { HttpEnv } from '../env';
import { HttpProblem } from '../errors';
import { downloadOptions, REDIRECT_PRESIGN_SECONDS } from '../links';
import { FileParams } from '../params';
import { findRun } from './find-run';
import { errorResponses } from './openapi-errors';

const route = createRoute({
  method: 'get',
  path: '/workspaces/{workspace}/reports/{run}/{file}',
  operationId: 'downloadReportFile',
  tags: ['reports'],
  summary: 'Download a report file',
  description: `Redirects to a presigned URL valid for ${REDIRECT_PRESIGN_SECONDS / 60} minutes; the browser saves the file as \`<workspace>-<run_id>-<file>\`.`,
  request: { params: FileParams },
  responses: {
    302: {
      description: 'Redirect to the presigned URL',
      headers: z.object({ Location: z.url().openapi({ description: 'The presigned URL' }) }),
    },
    ...errorResponses(400, 404, 500),
  },
});

/** Adds the download route. */
export function registerDownloadRoute(app: OpenAPIHono<HttpEnv>, deps: HttpDeps): void {
  app.openapi(route, async (c) => {
    const { workspace, run, file } = c.req.valid('param');
    const stored = await findRun(deps.store, workspace, run);
    const key = stored.keys[file];
    if (key === undefined) {
      const why = !stored.summary.complete
        ? 'the run is incomplete'
        : file === REPORT_FILES.changes
          ? 'no previous run to compare with'
          : `mode ${stored.summary.mode}`;
      throw new HttpProblem(404, 'FILE_NOT_FOUND', `run "${stored.runId}" has no ${file} (${why})`);
    }
    const ref = { workspace, runId: stored.runId };
    const url = await deps.store.presign(key, downloadOptions(ref, file, REDIRECT_PRESIGN_SECONDS));
    c.header('Cache-Control', 'no-store');
    return c.redirect(url, 302);
  });
}
