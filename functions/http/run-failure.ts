/**
 * What a failed "run now" answers. The status says whose fault it was: 404 for a workspace the
 * API does not know, 502 when the upstream API failed us (including rejecting our key: that is
 * our credential, not the caller's), 500 for anything else. The message is `describeFailure`'s
 * line, except where that line quotes upstream text (an error body snippet, FastAPI's detail):
 * a 5xx never carries upstream bodies, so those are rebuilt from the error's status and endpoint.
 */
import { ApiError, RetriesExhaustedError, TransientError, ValidationError } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import { HttpProblem } from './errors';

/** The problem to answer for `error` thrown by publishReport for run `runId`. */
export function runFailureProblem(error: unknown, runId: string): HttpProblem {
  if (!(error instanceof ReportFailedError)) {
    return new HttpProblem(500, 'INTERNAL', 'internal error', { cause: error });
  }
  const { code, message } = error.failure;
  if (code === 'WORKSPACE_NOT_FOUND') return new HttpProblem(404, code, message, { cause: error });
  if (code === 'INTERNAL')
    return new HttpProblem(500, code, `internal error (run ${runId})`, { cause: error });
  return new HttpProblem(502, code, `${upstreamMessage(error.cause) ?? message} (run ${runId})`, {
    cause: error,
  });
}

/** A message without upstream text for errors whose own message may quote it; else undefined. */
function upstreamMessage(cause: unknown): string | undefined {
  if (cause instanceof RetriesExhaustedError) {
    return `the API is unreachable: ${cause.endpoint} still failing after ${cause.attempts} attempts (last: ${transientReason(cause.cause)})`;
  }
  if (cause instanceof ValidationError) return `${cause.endpoint} rejected the request (422)`;
  if (cause instanceof TransientError) return `${cause.endpoint} failed (${transientReason(cause)})`;
  if (
    cause instanceof ApiError &&
    cause.status !== undefined &&
    cause.status !== 401 &&
    cause.status !== 403
  ) {
    return `${cause.endpoint} answered ${cause.status}`;
  }
  return undefined;
}

function transientReason(error: TransientError): string {
  return error.status === undefined ? error.reason : `${error.status} ${error.reason}`;
}
