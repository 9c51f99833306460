/** The error responses of a route, for the OpenAPI document: all share the `Error` body. */
import { ErrorBody } from '../errors';

const DESCRIPTIONS = {
  400: 'Invalid parameter (the message names it)',
  404: 'Not found (RUN_NOT_FOUND, FILE_NOT_FOUND, WORKSPACE_NOT_FOUND)',
  413: 'Request body over the cap',
  500: 'Internal error: generic message with the request id; details are in the logs',
  502: 'The upstream API failed (unreachable, rejected our key, invalid response)',
} as const;

type DocumentedStatus = keyof typeof DESCRIPTIONS;

/** `{ 400: {...}, 404: {...} }` for the given statuses. */
export function errorResponses<S extends DocumentedStatus>(...statuses: S[]) {
  const content = { 'application/json': { schema: ErrorBody } };
  const responses = {} as Record<S, { description: string; content: typeof content }>;
  for (const status of statuses) responses[status] = { description: DESCRIPTIONS[status], content };
  return responses;
}
