/**
 * What a failed "run now" answers. The status says whose fault it was: 404 for a workspace the
 * API does not know, 502 when the upstream API failed us (including rejecting our key: that is
 * our credential, not the caller's), 500 for anything else. The message is `describeFailure`'s
 * line, which is built from statuses and endpoints only, never from upstream bodies.
 */
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
  return new HttpProblem(502, code, `${message} (run ${runId})`, { cause: error });
}
