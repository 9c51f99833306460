/**
 * The CLI's alerts after a complete run: the rules from the ALERT_* variables, each broken rule
 * on stderr in one line, published too when ALERTS_TOPIC_ARN is set. The report is complete
 * whatever the rules say, so the exit code stays 0, unless --fail-on-alert asks for 3.
 */
import { breachLine } from '../../lib/alerts/message';
import type { ReportSummary } from '../../lib/report/summary';
import { runAlertsFromEnv } from '../shared/run-alerts';

/** The exit code of a complete run that broke a rule under --fail-on-alert. */
export const ALERT_EXIT_CODE = 3;

/** Evaluates a complete run's rules; resolves to the exit code. */
export type CliAlerts = (
  summary: ReportSummary,
  stderr: NodeJS.WritableStream,
  failOnAlert: boolean,
) => Promise<number>;

/** Reads the thresholds now, so a bad value is a configuration error before the run. */
export function cliAlerts(env: NodeJS.ProcessEnv): CliAlerts {
  let stderr: NodeJS.WritableStream | undefined;
  const alerts = runAlertsFromEnv({
    env,
    log: {
      // The broken rules are printed below, published or not.
      info() {},
      error(message, fields) {
        const error = fields?.error as { name?: string; message?: string } | undefined;
        stderr?.write(`warning: ${message}: ${error?.name ?? 'Error'}: ${error?.message ?? ''}\n`);
      },
    },
  });
  return async (summary, output, failOnAlert) => {
    stderr = output;
    const outcome = await alerts(summary);
    const breaches = outcome?.breaches ?? [];
    for (const breach of breaches) output.write(`${breachLine(summary.workspace, breach)}\n`);
    return breaches.length > 0 && failOnAlert ? ALERT_EXIT_CODE : 0;
  };
}
