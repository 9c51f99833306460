/** Request ids: the Lambda's own (so a caller's id finds the invocation's logs), else a random UUID. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

/** Generator for `hono/request-id`: `hono/aws-lambda` puts the invocation context in `c.env`. */
export function lambdaRequestId(c: Context): string {
  const env = c.env as { lambdaContext?: { awsRequestId?: unknown } } | undefined;
  const id = env?.lambdaContext?.awsRequestId;
  return typeof id === 'string' && /^[\w-]{1,128}$/.test(id) ? id : randomUUID();
}
