/**
 * The alert rules' numbers as CloudWatch metrics (EMF through Powertools), one record per
 * workspace and complete run, with the one dimension `Workspace`: the stack's alarms on them use
 * the same thresholds as the rules. The function's `service` dimension is left out, since the
 * nightly, run and fan-out functions all report runs and an alarm must see each of them.
 * A number the run does not have (no baseline, no stuck count) is not emitted at all.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AlertOutcome } from '../../lib/alerts/after-run';
import { alertValues } from '../../lib/alerts/rules';
import type { ReportSummary } from '../../lib/report/summary';
import { METRICS_NAMESPACE } from './powertools';

/** The metric of each rule (dimension Workspace), and the count of alerts not published (service). */
export const ALERT_METRICS = {
  failure_rate_pct: 'FailureRatePct',
  new_failed: 'NewlyFailed',
  stuck_files: 'StuckPendingFiles',
  publishFailed: 'AlertPublishFailed',
} as const;

/** The dimension every alert metric has, and only it. */
export const WORKSPACE_DIMENSION = 'Workspace';

/**
 * Publishes `summary`'s record right away, all values in one record, through an instance of its
 * own: the function's instance carries `service`, and clearing that would change its records.
 */
export function publishAlertMetrics(summary: ReportSummary, outcome: AlertOutcome): void {
  const record = new Metrics({ namespace: METRICS_NAMESPACE });
  record.clearDefaultDimensions();
  record.addDimension(WORKSPACE_DIMENSION, summary.workspace);
  const values = alertValues(summary);
  record.addMetric(ALERT_METRICS.failure_rate_pct, MetricUnit.Percent, values.failure_rate_pct ?? 0);
  if (values.new_failed !== null)
    record.addMetric(ALERT_METRICS.new_failed, MetricUnit.Count, values.new_failed);
  if (values.stuck_files !== null) {
    record.addMetric(ALERT_METRICS.stuck_files, MetricUnit.Count, values.stuck_files);
  }
  record.publishStoredMetrics();
  if (outcome.delivery === 'failed') publishPublishFailed();
}

/**
 * An alert that could not be published, under the function's `service` dimension only: a
 * failure of the service (a grant, the topic), alarmed on per function, not per workspace.
 */
function publishPublishFailed(): void {
  const record = new Metrics({ namespace: METRICS_NAMESPACE });
  record.addMetric(ALERT_METRICS.publishFailed, MetricUnit.Count, 1);
  record.publishStoredMetrics();
}
