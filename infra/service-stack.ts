/**
 * The stateless stack: the HTTP function (Function URL, with the sign-in mode `httpAuth`
 * chooses), the nightly function and its schedule, the fan-out workflow for big workspaces, the
 * alarms and their topic, the alerts topic. It keeps no data of its own: reports, secrets and users are the data
 * stack's, reached through `ReportData`, and every grant lands on this stack's roles. So it can
 * be destroyed and redeployed at will. Every value that differs between deployments is an
 * `InfraConfig`.
 */
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { InfraConfig } from './config';
import { HttpSignIn } from './http-sign-in';
import { acknowledge, resourceWildcard } from './nag';
import { NightlySchedule } from './nightly-schedule';
import { ReportAlarms } from './report-alarms';
import { type AlertThresholds, ReportAlerts } from './report-alerts';
import { importReportData, type ReportData, type ReportDataExports } from './report-data';
import { ReportFunction, type ReportFunctionProps } from './report-function';
import { ReportWorkflow } from './report-workflow';

/** Properties of the service stack. */
export interface ServiceStackProps extends StackProps {
  readonly config: InfraConfig;
  /** The data stack's exports (cross-stack references). */
  readonly data: ReportDataExports;
}

/** Runs started over HTTP that go on at once (each holds its own workspace's lease). */
const RUN_RESERVED_CONCURRENCY = 2;

type FunctionSpec = Omit<ReportFunctionProps, 'logRetention' | 'tracing' | 'environment'> & {
  readonly environment?: Record<string, string>;
};

/** The ingestion-reports service of one stage. */
export class ServiceStack extends Stack {
  /** The nightly function: invoke it with `{"workspaces": [...]}`. */
  readonly nightly: IFunction;
  readonly stateMachine: IStateMachine;
  private readonly config: InfraConfig;
  private readonly data: ReportData;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.config = props.config;
    this.data = importReportData(new Construct(this, 'Data'), props.data, this.config.httpAuth);

    const signIn = new HttpSignIn(this, 'SignIn', {
      stored: this.data.signIn,
      logRetention: this.config.logRetentionDays as RetentionDays,
    });
    const http = this.httpFunction(signIn.environment);
    signIn.grantTo(http.fn);
    signIn.connect(http.fn.addFunctionUrl({ authType: signIn.urlAuthType }));
    const run = this.runFunction();
    // "Run now" answers at once and hands the run to the run function (an asynchronous invoke).
    // This function only (grantInvoke would add its versions, `<arn>:*`, a wildcard cdk-nag flags).
    http.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [run.fn.functionArn] }),
    );
    http.fn.addEnvironment('RUN_FUNCTION_NAME', run.fn.functionName);
    // Not retried: a failed run is recorded in its folder, and a retry would only repeat it.
    run.fn.configureAsyncInvoke({ retryAttempts: 0 });
    const workflow = this.fanoutWorkflow();
    this.handRunsToWorkflow(run, workflow.stateMachine);
    const nightly = this.nightlyFunction(workflow.stateMachine);
    const schedule = this.nightlySchedule(nightly);
    // The scheduler invokes asynchronously, so a failed night is retried by Lambda: once (a rerun
    // makes new runs, and latest.json only moves forward); then the event goes to the
    // dead-letter queue, whose depth alarms, beside the Errors alarm.
    nightly.fn.configureAsyncInvoke({
      retryAttempts: 1,
      onFailure: new SqsDestination(schedule.deadLetterQueue),
    });

    const alerts = this.alerts();
    // Every function that runs reports alerts after a complete run; the HTTP one hands runs over.
    const alerting = { Run: run, Nightly: nightly, FanoutFinalize: workflow.functions.FanoutFinalize };
    for (const fn of Object.values(alerting)) alerts.attachTo(fn.fn);

    const alarms = new ReportAlarms(this, 'Alarms', { email: this.config.alarmEmail });
    for (const [name, fn] of Object.entries({
      Http: http,
      Run: run,
      Nightly: nightly,
      ...workflow.functions,
    })) {
      alarms.functionErrors(`${name}Errors`, fn.fn);
    }
    alarms.queueNotEmpty('ScheduleDeadLetters', schedule.deadLetterQueue);
    alarms.workflowFailures(workflow.stateMachine);
    if (schedule.enabled) alarms.nightlyMissing();
    for (const [name, fn] of Object.entries(alerting)) {
      alarms.alertsNotPublished(`${name}AlertsNotPublished`, fn.serviceName);
    }
    this.alertRuleAlarms(alarms);
    this.nightly = nightly.fn;
    this.stateMachine = workflow.stateMachine;

    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'NightlyFunctionName', { value: nightly.fn.functionName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'AlertsTopicArn', { value: alerts.topic.topicArn });
  }

  private alerts(): ReportAlerts {
    const { config } = this;
    return new ReportAlerts(this, 'Alerts', {
      thresholds: this.alertThresholds(),
      email: config.alertEmail,
      webhookUrl: config.alertWebhookUrl,
      publicBaseUrl: config.publicBaseUrl,
    });
  }

  /**
   * An alarm per workspace and rule set: CloudWatch alarms need fixed dimensions, so only the
   * workspaces of context `workspaces` have them; others (reported only on demand) still alert
   * through the topic.
   */
  private alertRuleAlarms(alarms: ReportAlarms): void {
    const thresholds = Object.entries(this.alertThresholds()) as [
      keyof AlertThresholds,
      number | undefined,
    ][];
    for (const workspace of this.config.workspaces) {
      for (const [rule, threshold] of thresholds) {
        if (threshold !== undefined) alarms.alertRuleOver(rule, workspace, threshold);
      }
    }
  }

  private alertThresholds(): Record<keyof AlertThresholds, number | undefined> {
    const { config } = this;
    return {
      failureRatePct: config.alertFailureRatePct,
      newFailed: config.alertNewFailed,
      stuckFiles: config.alertStuckFiles,
    };
  }

  private httpFunction(signInEnvironment: Record<string, string>): ReportFunction {
    return this.reportFunction('Http', {
      entry: 'functions/http/handler.ts',
      description: 'the ingestion reports HTTP API (run now, list, download, dashboard)',
      serviceName: 'http',
      // Never a report inside a request (runs are handed over): reads, redirects and a claim.
      timeout: Duration.seconds(30),
      reservedConcurrency: this.config.httpReservedConcurrency,
      environment: signInEnvironment,
    });
  }

  /** One report run started over HTTP, as long as the nightly function may take. */
  private runFunction(): ReportFunction {
    return this.reportFunction('Run', {
      entry: 'functions/run/handler.ts',
      description: 'one ingestion report run started over HTTP ("run now")',
      serviceName: 'run',
      timeout: Duration.minutes(15),
      // One run per workspace holds its lease: a few at once cover every workspace's button.
      reservedConcurrency: RUN_RESERVED_CONCURRENCY,
    });
  }

  /**
   * A run started over HTTP of a workspace above the threshold goes on in the workflow: the run
   * function decides as the nightly one does (same variables) and may start this one state
   * machine only.
   */
  private handRunsToWorkflow(run: ReportFunction, stateMachine: IStateMachine): void {
    for (const [name, value] of Object.entries(this.workflowEnvironment(stateMachine))) {
      run.fn.addEnvironment(name, value);
    }
    stateMachine.grantStartExecution(run.fn);
  }

  /** What a function that may hand a run to the workflow decides with (nightly and run alike). */
  private workflowEnvironment(stateMachine: IStateMachine): Record<string, string> {
    return {
      STATE_MACHINE_ARN: stateMachine.stateMachineArn,
      FANOUT_THRESHOLD_FILES: String(this.config.fanoutThresholdFiles),
    };
  }

  private nightlyFunction(stateMachine: IStateMachine): ReportFunction {
    const { config } = this;
    const nightly = this.reportFunction('Nightly', {
      entry: 'functions/nightly/handler.ts',
      description: 'the nightly ingestion reports of the configured workspaces',
      serviceName: 'nightly',
      timeout: Duration.minutes(15),
      reservedConcurrency: config.nightlyReservedConcurrency,
      environment: {
        DEEPSET_WORKSPACES: config.workspaces.join(','),
        ...this.workflowEnvironment(stateMachine),
      },
    });
    stateMachine.grantStartExecution(nightly.fn);
    return nightly;
  }

  /** A function with the shared env and grants: the bucket under the prefix, the API key. */
  private reportFunction(id: string, spec: FunctionSpec): ReportFunction {
    const { config } = this;
    const report = new ReportFunction(this, id, {
      ...spec,
      logRetention: config.logRetentionDays as RetentionDays,
      tracing: config.lambdaTracing,
      environment: {
        REPORT_BUCKET: this.data.reportBucket.bucketName,
        REPORT_PREFIX: config.reportPrefix,
        DEEPSET_API_URL: config.apiUrl,
        DEEPSET_API_KEY_SECRET_ARN: this.data.apiKey.secretArn,
        REPORT_CONCURRENCY: String(config.apiConcurrency),
        STUCK_AFTER_HOURS: String(config.stuckAfterHours),
        ...spec.environment,
      },
    });
    this.data.reportBucket.grantReadWrite(report.fn, `${config.reportPrefix}*`);
    this.data.apiKey.grantRead(report.fn);
    acknowledge(report, {
      ...bucketGrantAcknowledgements,
      [resourceWildcard(report, this.data.reportBucket.bucketArn, `/${config.reportPrefix}*`)]:
        'Objects under the report prefix only: run folders are created at run time.',
    });
    return report;
  }

  private fanoutWorkflow() {
    const { config } = this;
    const task = (id: string, name: string, reservedConcurrency: number) =>
      this.reportFunction(id, {
        entry: `functions/fanout/${name}/handler.ts`,
        description: `the fan-out report workflow's ${name} step`,
        serviceName: `fanout-${name}`,
        timeout: Duration.minutes(15),
        reservedConcurrency,
        environment: { FANOUT_BATCH_FILES: String(config.fanoutBatchFiles) },
      });
    // The worker's reserved concurrency caps batches across all running executions, and so the
    // load on the upstream API (workers x REPORT_CONCURRENCY requests in flight).
    const functions = {
      FanoutPlan: task('FanoutPlan', 'plan', 2),
      FanoutWorker: task('FanoutWorker', 'worker', config.fanoutMaxConcurrency),
      FanoutFinalize: task('FanoutFinalize', 'finalize', 2),
    };
    const workflow = new ReportWorkflow(this, 'Workflow', {
      plan: functions.FanoutPlan.fn,
      worker: functions.FanoutWorker.fn,
      finalize: functions.FanoutFinalize.fn,
      bucket: this.data.reportBucket,
      prefix: config.reportPrefix,
      maxConcurrency: config.fanoutMaxConcurrency,
      logRetention: config.logRetentionDays as RetentionDays,
    });
    return { stateMachine: workflow.stateMachine, functions };
  }

  private nightlySchedule(nightly: ReportFunction) {
    const { config } = this;
    const enabled = config.workspaces.length > 0;
    if (!enabled) {
      Annotations.of(this).addWarningV2(
        'ingestion-reports:noWorkspaces',
        "Context 'workspaces' is empty: the nightly schedule is deployed disabled.",
      );
    }
    const schedule = new NightlySchedule(this, 'NightlySchedule', {
      target: nightly.fn,
      cron: config.scheduleCron,
      timeZone: config.scheduleTimeZone,
      workspaces: config.workspaces,
      enabled,
    });
    return { deadLetterQueue: schedule.deadLetterQueue, enabled };
  }
}

const bucketGrantAcknowledgements = {
  'AwsSolutions-IAM5[Action::s3:GetObject*]': 'CDK bucket grant, scoped to objects under the report prefix.',
  'AwsSolutions-IAM5[Action::s3:GetBucket*]':
    'CDK bucket grant on the one report bucket (location, ACL checks).',
  'AwsSolutions-IAM5[Action::s3:List*]':
    'CDK bucket grant: listing runs of a workspace in the report bucket.',
  'AwsSolutions-IAM5[Action::s3:DeleteObject*]':
    'CDK bucket grant, scoped to objects under the report prefix.',
  'AwsSolutions-IAM5[Action::s3:Abort*]': 'Aborting a failed multipart upload of a report under the prefix.',
};
