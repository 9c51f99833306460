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
import { loadAlertConfig } from '../shared/config';
import type { MessageLog } from '../shared/powertools';
import { type AfterRun, runAndAlert } from '../shared/run-and-alert';

export interface RunLauncher {
  /** Resolves once the run is under way elsewhere; rejects when it could not be started. */
  launch(claimed: ClaimedRun): Promise<void>;
}

/** Runs in this process; `idle()` resolves when every run launched so far has ended. */
export interface InProcessLauncher extends RunLauncher {
  idle(): Promise<void>;
}

/** Breaches of the ALERT_* thresholds (read now, so a bad value fails at start) go to `logger`. */
export function loggedAlerts(logger: MessageLog, env: NodeJS.ProcessEnv = process.env): AfterRun {
  const { thresholds } = loadAlertConfig(env);
  const links = () => ({ dashboard: null, changes: null });
  return (summary) => alertAfterRun(summary, { thresholds, links, log: logger });
}

export function inProcessLauncher(
  createClient: () => Promise<UploadSessionsClient>,
  logger: MessageLog,
  afterRun: AfterRun = loggedAlerts(logger),
): InProcessLauncher {
  const running = new Set<Promise<void>>();
  return {
    async launch(claimed) {
      const client = await createClient();
      const run = runAndAlert(claimed, async () => client, { log: logger, afterRun }).then(() => {});
      running.add(run);
      void run.finally(() => running.delete(run));
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
