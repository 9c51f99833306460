/**
 * The HTTP API (design, "HTTP"): one Hono app for the Lambda Function URL and for `npm start`.
 * No Lambda-only imports here: `lambda.ts` wraps it with `hono/aws-lambda`.
 *
 * @example
 * const app = createHttpApp({ store, createClient: async () => new UploadSessionsClient({ baseUrl, apiKey }) });
 * const response = await app.request('/workspaces/demo/reports', { method: 'POST' });
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { accessLog } from './access-log';
import { consoleLogger, type HttpDeps } from './deps';
import type { HttpEnv } from './env';
import { errorBody, errorHandler, methodNotAllowedResponse, notFoundHandler } from './errors';
import { lambdaRequestId } from './request-id';
import { registerDashboardRoute } from './routes/dashboard';
import { registerDocsRoutes } from './routes/docs';
import { registerDownloadRoute } from './routes/download-file';
import { registerGetReportRoute } from './routes/get-report';
import { registerHealthRoute } from './routes/health';
import { registerListReportsRoute } from './routes/list-reports';
import { registerRunReportRoute } from './routes/run-report';
import { validationHook } from './validation-hook';

/** No route takes a body; anything bigger than this is refused before it is read whole. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The app, with every route, over `deps`. */
export function createHttpApp(deps: HttpDeps): OpenAPIHono<HttpEnv> {
  const logger = deps.logger ?? consoleLogger;
  const app = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });
  app.use(requestId({ generator: lambdaRequestId }));
  app.use(accessLog(logger));
  app.use(secureHeaders());
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(errorBody('PAYLOAD_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`), 413),
    }),
  );
  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  registerHealthRoute(app);
  registerRunReportRoute(app, deps, logger);
  registerListReportsRoute(app, deps, logger);
  registerGetReportRoute(app, deps);
  registerDownloadRoute(app, deps);
  registerDashboardRoute(app, deps);
  registerDocsRoutes(app);
  app.notFound(notFoundHandler);
  app.onError(errorHandler(logger));
  return app;
}
