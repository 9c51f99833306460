/**
 * The after-run alerts of an entry point, from its environment: the thresholds and topic
 * (functions/shared/config), the links (PUBLIC_BASE_URL), publishing to SNS when a topic is set
 * and logging otherwise, and the per-workspace metrics where the entry point has them (the Lambda
 * functions; the CLI and `npm start` write no EMF). Only complete runs are alerted on.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type AlertLog,
  type AlertOutcome,
  type AlertPublisher,
  alertAfterRun,
} from '../../lib/alerts/after-run';
import type { ReportSummary } from '../../lib/report/summary';
import { alertLinks } from './alert-links';
import { publishAlertMetrics } from './alert-metrics';
import { loadAlertConfig, loadPublicBaseUrl } from './config';
import { messageLogOf } from './powertools';

/** Evaluates a finished run; undefined for an incomplete one. Never throws. */
export type RunAlerts = (summary: ReportSummary) => Promise<AlertOutcome | undefined>;

export interface RunAlertsOptions {
  log: AlertLog;
  /** Default: process.env. Read once, here: a bad value fails at start, naming the variable. */
  env?: NodeJS.ProcessEnv;
  /** EMF per workspace on stdout (the Lambda functions); the CLI and `npm start` write none. */
  metrics?: boolean;
}

export function runAlertsFromEnv(options: RunAlertsOptions): RunAlerts {
  const env = options.env ?? process.env;
  const config = loadAlertConfig(env);
  const origin = loadPublicBaseUrl(env);
  // Without a topic, breaches are only logged.
  const publish = config.topicArn ? lazySnsPublisher(config.topicArn, env) : undefined;
  return async (summary) => {
    if (!summary.complete) return undefined;
    try {
      const outcome = await alertAfterRun(summary, {
        thresholds: config.thresholds,
        ...(publish ? { publish } : {}),
        links: (run) => alertLinks(origin, run),
        log: options.log,
      });
      if (options.metrics) publishAlertMetrics(summary, outcome);
      return outcome;
    } catch (error) {
      // The report is published whatever happens here: a bug in alerting must not unmake it.
      options.log.error('alerts failed', { workspace: summary.workspace, run_id: summary.run_id, error });
      return undefined;
    }
  };
}

/** The SNS client is loaded on the first alert, not when the function starts. */
function lazySnsPublisher(topicArn: string, env: NodeJS.ProcessEnv): AlertPublisher {
  let publisher: Promise<AlertPublisher> | undefined;
  return async (message) => {
    publisher ??= import('./sns-client').then((module) => module.snsPublisherFromEnv(topicArn, env));
    await (await publisher)(message);
  };
}

/** A Lambda function's alerts, with metrics, logged to its logger (if any); the environment read now. */
export function lambdaRunAlerts(options: { logger?: Logger; env?: NodeJS.ProcessEnv }): RunAlerts {
  const log = options.logger ? messageLogOf(options.logger) : { info() {}, error() {} };
  return runAlertsFromEnv({ log, metrics: true, env: options.env });
}
