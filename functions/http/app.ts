/**
 * The HTTP API: one Hono app for the Lambda Function URL and for `npm start`.
 * No Lambda-only imports here: `lambda-handler.ts` wraps it with `hono/aws-lambda`.
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
import { cookieFlags } from './auth/cookie-flags';
import { type OidcRuntime, oidcRuntime } from './auth/oidc-runtime';
import { publicOrigin } from './auth/public-origin';
import { signInGate } from './auth/sign-in-gate';
import { workspaceAccess } from './auth/workspace-access';
import { consoleLogger, type HttpDeps } from './deps';
import type { HttpEnv } from './env';
import { errorBody, errorHandler, methodNotAllowedResponse, notFoundHandler } from './errors';
import { lambdaRequestId } from './request-id';
import { registerDashboardRoute } from './routes/dashboard';
import { registerDocsRoutes } from './routes/docs';
import { registerDownloadRoute } from './routes/download-file';
import { registerGetReportRoute } from './routes/get-report';
import { registerHealthRoute } from './routes/health';
import { registerHomeRoutes } from './routes/home';
import { registerListReportsRoute } from './routes/list-reports';
import { registerRunReportRoute } from './routes/run-report';
import { registerSignInRoutes } from './routes/sign-in';
import { inProcessLauncher } from './run-launcher';
import { validationHook } from './validation-hook';

/** No route takes a body; anything bigger than this is refused before it is read whole. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The app, with every route, over `deps`. */
export function createHttpApp(deps: HttpDeps): OpenAPIHono<HttpEnv> {
  const logger = deps.logger ?? consoleLogger;
  const auth = deps.auth ?? { mode: 'none' };
  const runtime: OidcRuntime | undefined = auth.mode === 'oidc' ? oidcRuntime(auth) : undefined;
  const app = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });
  app.use(requestId({ generator: lambdaRequestId }));
  app.use(accessLog(logger));
  app.use(secureHeaders());
  app.use(publicOrigin(deps.publicBaseUrl));
  app.use(cookieFlags());
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(errorBody('PAYLOAD_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`), 413),
    }),
  );
  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use(signInGate(auth, runtime));
  app.use('/workspaces/:workspace/*', workspaceAccess());
  registerHealthRoute(app);
  if (runtime) registerSignInRoutes(app, runtime, logger);
  registerHomeRoutes(app, deps, logger);
  registerRunReportRoute(app, deps, logger, deps.runLauncher ?? inProcessLauncher(deps.createClient, logger));
  registerListReportsRoute(app, deps, logger);
  registerGetReportRoute(app, deps);
  registerDownloadRoute(app, deps);
  registerDashboardRoute(app, deps);
  registerDocsRoutes(app, auth);
  app.notFound(notFoundHandler);
  app.onError(errorHandler(logger));
  return app;
}
