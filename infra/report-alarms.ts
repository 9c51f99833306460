/**
 * Alarms, all notifying one SNS topic (plus an email subscription when `alarmEmail` is set).
 * Each alarm also notifies when it returns to OK, so a recovered night is visible too. The alert
 * rules' alarms are here too: their per-run messages with details go to the alerts topic
 * (./report-alerts), whose subscribers filter on message attributes these notifications lack.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './report-function';

/** The EMF metric of each alert rule (dimension `Workspace`), as the functions emit them. */
export const ALERT_RULE_METRICS = {
  failureRatePct: 'FailureRatePct',
  newFailed: 'NewlyFailed',
  stuckFiles: 'StuckPendingFiles',
} as const;

/** Counted, under the function's `service` dimension, for each alert message SNS refused. */
export const ALERT_PUBLISH_FAILED_METRIC = 'AlertPublishFailed';

/** Hours without a successful nightly run before we alarm: a day plus slack for a slow run. */
export const NIGHTLY_SILENCE_HOURS = 26;

/** Properties of `ReportAlarms`. */
export interface ReportAlarmsProps {
  /** Subscribed to the topic when set; the address must confirm the subscription. */
  readonly email?: string;
}

/** The alarm topic and factory methods for the stack's alarms. */
export class ReportAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: ReportAlarmsProps) {
    super(scope, id);
    // Not KMS-encrypted: notifications carry alarm names only, and CloudWatch cannot publish to a
    // topic encrypted with the AWS-managed SNS key (a customer-managed key would buy nothing here).
    this.topic = new Topic(this, 'Topic', { displayName: 'Ingestion reports alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /** Any invocation error of `fn` (Errors >= 1 in 5 minutes). */
  functionErrors(id: string, fn: IFunction): Alarm {
    return this.alarm(id, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      description: `The ${id} function failed at least once.`,
    });
  }

  /** Messages waiting in a dead-letter queue. */
  queueNotEmpty(id: string, queue: IQueue): Alarm {
    const metric = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    return this.alarm(id, metric, {
      description: 'A scheduled invocation could not be delivered (see the DLQ).',
    });
  }

  /** A failed and a timed-out alarm for the workflow's executions. */
  workflowFailures(stateMachine: IStateMachine): Alarm[] {
    const period = Duration.minutes(5);
    return [
      this.alarm('WorkflowFailed', stateMachine.metricFailed({ period, statistic: 'Sum' }), {
        description: 'A fan-out report run failed.',
      }),
      this.alarm('WorkflowTimedOut', stateMachine.metricTimedOut({ period, statistic: 'Sum' }), {
        description: 'A fan-out report run timed out.',
      }),
    ];
  }

  /**
   * No `NightlySucceeded` (EMF, dimension service=nightly) for 26 hours: 26 one-hour periods,
   * all missing or zero. CloudWatch allows periods x evaluation periods up to 7 days when the
   * period is at least an hour (only shorter periods are capped at one day), so 26 x 1 h is valid
   * and no metric math is needed. Missing data is breaching: a night that never ran emits nothing.
   */
  nightlyMissing(): Alarm {
    const metric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'NightlySucceeded',
      dimensionsMap: { service: 'nightly' },
      statistic: 'Sum',
      period: Duration.hours(1),
    });
    const alarm = new Alarm(this, 'NightlyMissing', {
      metric,
      alarmDescription: `No fully successful nightly run in ${NIGHTLY_SILENCE_HOURS} hours.`,
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: NIGHTLY_SILENCE_HOURS,
      datapointsToAlarm: NIGHTLY_SILENCE_HOURS,
      treatMissingData: TreatMissingData.BREACHING,
    });
    return this.notify(alarm);
  }

  /** An alert message the function of `service` could not publish (the report itself was). */
  alertsNotPublished(id: string, service: string): Alarm {
    const metric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: ALERT_PUBLISH_FAILED_METRIC,
      dimensionsMap: { service },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    return this.alarm(id, metric, {
      description: `The ${service} function could not publish an alert to the alerts topic (see its logs).`,
    });
  }

  /**
   * A workspace's alert metric strictly over `threshold`, as the rule decides. A report emits it
   * once per complete run, so missing data keeps the state: the alarm says what the latest run
   * said until the next one, and returns to OK with a run under the threshold.
   */
  alertRuleOver(rule: keyof typeof ALERT_RULE_METRICS, workspace: string, threshold: number): Alarm {
    const metricName = ALERT_RULE_METRICS[rule];
    const metric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { Workspace: workspace },
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
    const alarm = new Alarm(this, `${metricName}-${workspace}`, {
      metric,
      alarmDescription: `${metricName} of workspace ${workspace} over ${threshold} in its latest report.`,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.IGNORE,
    });
    return this.notify(alarm);
  }

  private alarm(id: string, metric: IMetric, options: { description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: options.description,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return this.notify(alarm);
  }

  private notify(alarm: Alarm): Alarm {
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }
}
