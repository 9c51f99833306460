/**
 * What happens after a complete run, wherever it ran: its rules are evaluated, and when one
 * broke, one message goes out (published, or logged where there is no topic). A failed publish
 * never fails the run: the report is already published, so the failure is logged and counted
 * in the outcome, and the caller's metrics show it.
 */
import type { ReportSummary } from '../report/summary';
import { type AlertLinks, type AlertMessage, alertMessage, breachLine } from './message';
import { type AlertThresholds, type Breach, breachedRules } from './rules';

/** Delivers one alert message; rejects when it could not (./sns-publisher on AWS). */
export type AlertPublisher = (message: AlertMessage) => Promise<void>;

/** Where the outcome is logged (the function's logger, or the CLI's stderr). */
export interface AlertLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AlertsAfterRun {
  thresholds: AlertThresholds;
  /** Absent: no topic, so breaches are only logged. */
  publish?: AlertPublisher;
  links(summary: ReportSummary): AlertLinks;
  log: AlertLog;
}

/** `published`: sent; `logged`: no topic; `failed`: the publish failed; `none`: no rule broke. */
export type AlertDelivery = 'published' | 'logged' | 'failed' | 'none';

export interface AlertOutcome {
  breaches: Breach[];
  delivery: AlertDelivery;
}

/** Evaluates `summary`'s rules and delivers the message; never throws. */
export async function alertAfterRun(summary: ReportSummary, alerts: AlertsAfterRun): Promise<AlertOutcome> {
  const breaches = breachedRules(summary, alerts.thresholds);
  if (breaches.length === 0) return { breaches, delivery: 'none' };
  const fields = { workspace: summary.workspace, run_id: summary.run_id, rules: breaches };
  if (!alerts.publish) {
    for (const breach of breaches) alerts.log.info(breachLine(summary.workspace, breach), fields);
    return { breaches, delivery: 'logged' };
  }
  try {
    await alerts.publish(alertMessage(summary, breaches, alerts.links(summary)));
    alerts.log.info('alert published', fields);
    return { breaches, delivery: 'published' };
  } catch (error) {
    alerts.log.error('alert not published', { ...fields, error: publishError(error) });
    return { breaches, delivery: 'failed' };
  }
}

/**
 * The SDK's error name and message say why (throttled, denied) without the request's contents;
 * ARNs in it (the topic's, the caller's role) are left out: the log need not map the account.
 */
function publishError(error: unknown): { name: string; message: string } {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  return { name, message: message.replace(/arn:aws[\w-]*:\S*/g, '<arn>') };
}
