/**
 * The nightly trigger: an EventBridge Scheduler cron in a configurable time zone that invokes
 * the nightly function with `{"workspaces": [...], "scheduled_time": "<the night's time>"}`.
 *
 * Scheduler invokes Lambda asynchronously, so its retry policy and dead-letter queue cover
 * *delivery* (throttling, a missing permission, a deleted function); a run that starts and
 * then fails shows up in the function's Errors alarm instead.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, arnWildcard } from './nag';

/** Properties of a `NightlySchedule`. */
export interface NightlyScheduleProps {
  readonly target: IFunction;
  /** An EventBridge cron expression, e.g. `cron(0 3 * * ? *)`. */
  readonly cron: string;
  /** IANA time zone the cron is read in, e.g. `Europe/Berlin` (daylight saving included). */
  readonly timeZone: string;
  readonly workspaces: readonly string[];
  /** A disabled schedule is deployed but never fires. */
  readonly enabled: boolean;
}

/** The schedule and the dead-letter queue for invocations it could not deliver. */
export class NightlySchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: NightlyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, {
      'AwsSolutions-SQS3': 'This queue is itself a dead-letter queue (of the nightly schedule).',
    });
    // Our own role (CDK would put its shared one at stack level) so its finding is acknowledged here.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    acknowledge(role, {
      [arnWildcard(props.target, ':*')]:
        'CDK grants lambda:InvokeFunction on the nightly function and its versions.',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Nightly ingestion reports (${props.cron} ${props.timeZone})`,
      schedule: ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      enabled: props.enabled,
      target: new LambdaInvoke(props.target, {
        role,
        // The night's scheduled time: a retried invocation skips workspaces already published since.
        input: ScheduleTargetInput.fromObject({
          workspaces: props.workspaces,
          scheduled_time: ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.deadLetterQueue,
        // A night's run that cannot start within an hour is better reported (DLQ alarm) than late.
        retryAttempts: 4,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
