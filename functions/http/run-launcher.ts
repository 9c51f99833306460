/**
 * How the HTTP app gets a claimed run going without running it inside the request: `npm start`
 * runs it in this process, in the background; on Lambda (whose request would freeze the rest)
 * it is handed to the run function (./lambda-run-launcher). Either way the POST answers 202
 * as soon as `launch` resolves.
 */
import type { UploadSessionsClient } from '../../lib/api';
import type { ClaimedRun } from '../../lib/report/leased-run';

/** Where the in-process launcher reports how runs ended (the app's logger). */
interface RunLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RunLauncher {
  /** Resolves once the run is under way elsewhere; rejects when it could not be started. */
  launch(claimed: ClaimedRun): Promise<void>;
}

/** Runs in this process; `idle()` resolves when every run launched so far has ended. */
export interface InProcessLauncher extends RunLauncher {
  idle(): Promise<void>;
}

export function inProcessLauncher(
  createClient: () => Promise<UploadSessionsClient>,
  logger: RunLog,
): InProcessLauncher {
  const running = new Set<Promise<void>>();
  return {
    async launch(claimed) {
      const client = await createClient();
      const run = claimed.run(client).then(
        (published) =>
          logger.info('report published', {
            workspace: claimed.workspace,
            run_id: claimed.runId,
            mode: claimed.mode,
            sessions: published.summary.sessions.total,
            files: published.summary.files.total,
            api_requests: published.summary.api_requests,
            latest: published.latest,
          }),
        // The run's status.json says why; the log keeps the details (never a secret: our errors).
        (error: unknown) =>
          logger.error('report run failed', { workspace: claimed.workspace, run_id: claimed.runId, error }),
      );
      running.add(run);
      void run.finally(() => running.delete(run));
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
