/**
 * How the HTTP app gets a claimed run going without running it inside the request: `npm start`
 * runs it in this process, in the background; on Lambda (whose request would freeze the rest)
 * it is handed to the run function (./lambda-run-launcher). Either way the POST answers 202
 * as soon as `launch` resolves. A run that completes here has its alert rules evaluated, and
 * breaches logged: this process publishes to no topic (the run function does on Lambda).
 */
import { alertAfterRun } from '../../lib/alerts/after-run';
import type { UploadSessionsClient } from '../../lib/api';
import type { ClaimedRun } from '../../lib/report/leased-run';
import type { ReportSummary } from '../../lib/report/summary';
import { loadAlertConfig } from '../shared/config';

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

/** What follows a complete run; never throws. */
export type AfterRun = (summary: ReportSummary) => Promise<unknown>;

/** Breaches of the ALERT_* thresholds (read now, so a bad value fails at start) go to `logger`. */
export function loggedAlerts(logger: RunLog, env: NodeJS.ProcessEnv = process.env): AfterRun {
  const { thresholds } = loadAlertConfig(env);
  const links = () => ({ dashboard: null, changes: null });
  return (summary) => alertAfterRun(summary, { thresholds, links, log: logger });
}

export function inProcessLauncher(
  createClient: () => Promise<UploadSessionsClient>,
  logger: RunLog,
  afterRun: AfterRun = loggedAlerts(logger),
): InProcessLauncher {
  const running = new Set<Promise<void>>();
  return {
    async launch(claimed) {
      const client = await createClient();
      const run = claimed.run(client).then(
        async (published) => {
          logger.info('report published', {
            workspace: claimed.workspace,
            run_id: claimed.runId,
            mode: claimed.mode,
            sessions: published.summary.sessions.total,
            files: published.summary.files.total,
            api_requests: published.summary.api_requests,
            latest: published.latest,
          });
          await afterRun(published.summary);
        },
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
