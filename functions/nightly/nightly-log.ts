/**
 * The nightly job's log lines (Powertools Logger, structured JSON). They carry names, counts
 * and failure codes; never the API key, the client, or the configuration object.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { WorkspaceResult } from './run-nightly';

/** One line per workspace: `info` with its counts, or `error` with the failure and its cause. */
export function logWorkspaceResult(logger: Logger, result: WorkspaceResult): void {
  const { workspace, durationMs } = result;
  if (!result.ok) {
    // The cause is one of our own errors (they never hold the key) or an unexpected one, whose
    // stack is what an operator needs for an INTERNAL failure.
    const line = { message: 'workspace report failed', workspace, durationMs, failure: result.failure };
    if (result.cause instanceof Error) logger.error(line, result.cause);
    else logger.error(line);
    return;
  }
  if (result.skipped) {
    // Not a failure: another run has (or will have) tonight's numbers.
    logger.info({
      message: 'workspace skipped',
      workspace,
      reason: result.skipped.code,
      detail: result.skipped.message,
    });
    return;
  }
  const { summary } = result;
  logger.info({
    message: 'workspace report published',
    workspace,
    durationMs,
    runner: result.runner,
    prefix: result.prefix,
    runId: summary?.run_id,
    sessions: summary?.sessions.total,
    files: summary?.files.total,
    failedFiles: summary?.files.by_ingestion_status.FAILED ?? 0,
    warnings: summary?.warnings.length,
    apiRequests: summary?.api_requests,
    apiRetries: summary?.api_retries,
  });
}
