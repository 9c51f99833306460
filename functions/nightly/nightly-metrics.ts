/**
 * The nightly job's CloudWatch metrics (EMF through Powertools Metrics): one EMF record per
 * workspace with the dimension `workspace`, and `NightlySucceeded` with only the default
 * dimension `service`, which the CDK app alarms on when it is missing for 26 hours.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { WorkspaceResult } from './run-nightly';

export const NIGHTLY_SERVICE = 'nightly';
/** Emitted once per invocation in which every workspace succeeded. */
export const NIGHTLY_SUCCEEDED_METRIC = 'NightlySucceeded';

/**
 * Publishes one workspace's metrics right away: Powertools clears the added dimension on
 * publish, and publishing per workspace keeps each record's values apart (the same metric name
 * stored twice would become one record with two values under the last dimension value).
 */
export function publishWorkspaceMetrics(metrics: Metrics, result: WorkspaceResult): void {
  metrics.addDimension('workspace', result.workspace);
  metrics.addMetric('WorkspaceFailed', MetricUnit.Count, result.ok ? 0 : 1);
  metrics.addMetric('DurationMs', MetricUnit.Milliseconds, result.durationMs);
  const summary = result.ok ? result.summary : undefined;
  if (summary) {
    metrics.addMetric('Sessions', MetricUnit.Count, summary.sessions.total);
    metrics.addMetric('Files', MetricUnit.Count, summary.files.total);
    metrics.addMetric('FailedFiles', MetricUnit.Count, summary.files.by_ingestion_status.FAILED ?? 0);
    metrics.addMetric('ApiRequests', MetricUnit.Count, summary.api_requests);
    metrics.addMetric('ApiRetries', MetricUnit.Count, summary.api_retries);
  }
  metrics.publishStoredMetrics();
}

/** The heartbeat of a fully successful night; absent after any failure, so the alarm fires. */
export function publishNightlySucceeded(metrics: Metrics): void {
  metrics.addMetric(NIGHTLY_SUCCEEDED_METRIC, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
