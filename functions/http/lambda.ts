/**
 * The HTTP function's Lambda entry (Function URL, payload v2). The app and its dependencies are
 * built on the first request and kept for the container's life. A configuration error is
 * logged (it names the variable, never a value) and answered as a generic 500; the next
 * request tries again. That includes HTTP_AUTH unset or `none`: on Lambda the app is never open.
 */
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createHttpApp } from './app';
import { depsFromEnv } from './deps-from-env';

type AppHandler = ReturnType<typeof handle>;
let appHandler: AppHandler | undefined;

/** The Lambda handler. */
export const handler = async (event: LambdaEvent, context: LambdaContext) => {
  try {
    appHandler ??= handle(createHttpApp(depsFromEnv()));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(JSON.stringify({ level: 'ERROR', message: 'HTTP function misconfigured', error: message }));
    return misconfigured(context.awsRequestId);
  }
  return appHandler(event, context);
};

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
