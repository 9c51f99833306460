/**
 * The HTTP function on Lambda (Function URL, payload v2). The app and its dependencies are
 * built on the first request and kept for the container's life. A configuration error is
 * logged (it names the variable, never a value) and answered as a generic 500; the next
 * request tries again. That includes HTTP_AUTH unset or `none`: on Lambda the app is never open.
 */
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { type LambdaTelemetry, withLambdaContext } from '../shared/powertools';
import { createHttpApp } from './app';
import { depsFromEnv } from './deps-from-env';

/** The `service` of the HTTP function's logs. */
export const HTTP_SERVICE = 'ingestion-reports-http';

/** The Lambda handler of the HTTP function, logging through `telemetry`. */
export function createHttpLambdaHandler(telemetry: LambdaTelemetry) {
  let appHandler: ReturnType<typeof handle> | undefined;
  return withLambdaContext(telemetry, async (event: LambdaEvent, context?: LambdaContext) => {
    try {
      appHandler ??= handle(createHttpApp(depsFromEnv(process.env, telemetry.logger)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // One plain JSON line on stderr, as the platform shows it, whatever the logger's settings.
      console.error(
        JSON.stringify({ level: 'ERROR', message: 'HTTP function misconfigured', error: message }),
      );
      return misconfigured(context?.awsRequestId ?? 'unknown');
    }
    return appHandler(event, context as LambdaContext);
  });
}

function misconfigured(requestId: string) {
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({
      error: { code: 'INTERNAL', message: `internal error (request id ${requestId})` },
    }),
    isBase64Encoded: false,
  };
}
