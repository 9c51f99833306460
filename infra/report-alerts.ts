/**
 * The alerts topic: where a run that broke an alert rule is announced, one message per
 * workspace and run, for people and their tools (email, a webhook, filter policies on the
 * `workspace` and `rule` attributes). Separate from the operations alarm topic, which tells
 * operators that the service itself is failing. The functions that run reports get the
 * thresholds and the topic in their environment, and may publish to this topic only.
 */
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** The alert rules' thresholds; a rule without one is off. */
export interface AlertThresholds {
  readonly failureRatePct?: number;
  readonly newFailed?: number;
  readonly stuckFiles?: number;
}

/** Properties of `ReportAlerts`. */
export interface ReportAlertsProps {
  readonly thresholds: AlertThresholds;
  /** Subscribed when set; the address must confirm the subscription. */
  readonly email?: string;
  /** An https endpoint subscribed when set; it must confirm the subscription (SNS sends the URL). */
  readonly webhookUrl?: string;
  /** The app's origin, for the links in messages. */
  readonly publicBaseUrl?: string;
}

export class ReportAlerts extends Construct {
  readonly topic: Topic;
  /** What a function that runs reports is told: the topic, the thresholds set, the origin. */
  readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: ReportAlertsProps) {
    super(scope, id);
    // Encrypted with the AWS-managed SNS key: its key policy lets the account's principals use it
    // through SNS, so publishers need no KMS grant. No CloudWatch alarm publishes here.
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Ingestion reports alerts',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    if (props.webhookUrl) this.topic.addSubscription(new UrlSubscription(props.webhookUrl));
    const { failureRatePct, newFailed, stuckFiles } = props.thresholds;
    this.environment = {
      ALERTS_TOPIC_ARN: this.topic.topicArn,
      ...(failureRatePct !== undefined ? { ALERT_FAILURE_RATE_PCT: String(failureRatePct) } : {}),
      ...(newFailed !== undefined ? { ALERT_NEW_FAILED: String(newFailed) } : {}),
      ...(stuckFiles !== undefined ? { ALERT_STUCK_FILES: String(stuckFiles) } : {}),
      ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
    };
  }

  /** Lets `fn`, which runs reports, publish its alerts: the environment and sns:Publish here. */
  attachTo(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    for (const [key, value] of Object.entries(this.environment)) fn.addEnvironment(key, value);
    this.topic.grantPublish(fn);
  }
}
