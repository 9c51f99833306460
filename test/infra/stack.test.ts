/**
 * The default stage's templates (prod, cognito sign-in, two workspaces) as a whole: the report bucket, the
 * nightly schedule, the fan-out workflow, the alarms, cdk-nag, and the outputs. The functions,
 * the API key secret and least privilege are in functions.test.ts; the sign-in modes in
 * sign-in-*.test.ts.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  onlyResource,
  policyStatements,
  reportBucketId,
  reportFunction,
  reportFunctions,
  resourcesOf,
  type Synthesized,
  stateMachineDefinition,
  synth,
} from './synth';

let s: Synthesized;

beforeAll(() => {
  s = synth();
});

const bucketId = () => reportBucketId(s.template);
const functionId = (service: string): string => reportFunction(s.template, service).id;

describe('report bucket', () => {
  it('is private, S3-encrypted, unversioned, and logs access to a separate bucket', () => {
    const buckets = resourcesOf(s.template, 'AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    }
    const reports = buckets[bucketId()]!.Properties;
    expect(reports.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: expect.stringMatching(/^ReportsAccessLogs/) },
      LogFilePrefix: 'reports-bucket/',
    });
  });

  it('denies every request without TLS on both buckets', () => {
    const policies = Object.values(resourcesOf(s.template, 'AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('expires runs under the prefix after runRetentionDays and aborts stale multipart uploads', () => {
    const rules = (
      resourcesOf(s.template, 'AWS::S3::Bucket')[bucketId()]!.Properties.LifecycleConfiguration as {
        Rules: unknown[];
      }
    ).Rules;
    expect(rules).toEqual([
      { Id: 'expire-old-runs', Prefix: 'reports/', ExpirationInDays: 90, Status: 'Enabled' },
      {
        Id: 'abort-incomplete-uploads',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
    ]);
  });

  it('is retained when the stack is deleted', () => {
    const bucket = s.template.toJSON().Resources[bucketId()];
    expect(bucket.DeletionPolicy).toBe('Retain');
  });
});

describe('nightly schedule', () => {
  it('fires the cron in the configured time zone with retries and a dead-letter queue', () => {
    const { props } = onlyResource(s.template, 'AWS::Scheduler::Schedule');
    expect(props).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [functionId('nightly'), 'Arn'] },
        Input: JSON.stringify({
          workspaces: ['acme', 'globex'],
          scheduled_time: '<aws.scheduler.scheduled-time>',
        }),
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [onlyResource(s.template, 'AWS::SQS::Queue').id, 'Arn'] } },
      },
    });
  });

  it('has an encrypted dead-letter queue that refuses non-TLS access', () => {
    const queue = onlyResource(s.template, 'AWS::SQS::Queue');
    expect(queue.props).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue.id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('fan-out workflow', () => {
  it('is a STANDARD state machine with tracing and logging', () => {
    const { props } = onlyResource(s.template, 'AWS::StepFunctions::StateMachine');
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('runs Plan, then a Distributed Map over the manifest, then Finish', () => {
    const definition = stateMachineDefinition(s.template);
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan.Next).toBe('FanOut');
    expect(definition.States.FanOut.Next).toBe('Finish');
    expect(definition.States.Finish.End).toBe(true);
    const map = definition.States.FanOut;
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:<ref>:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.manifestKey' },
    });
    expect(map.MaxConcurrency).toBe(8);
    expect(map.ToleratedFailurePercentage).toBe(0);
    expect(map.ResultPath).toBeNull();
    expect(map.ItemSelector).toMatchObject({
      'batch.$': '$$.Map.Item.Value',
      'batchIndex.$': '$$.Map.Item.Index',
    });
  });

  it('retries each batch with backoff and full jitter', () => {
    const worker = stateMachineDefinition(s.template).States.FanOut.ItemProcessor.States.Worker;
    expect(worker.Retry).toContainEqual({
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: 2,
      MaxAttempts: 3,
      BackoffRate: 2,
      JitterStrategy: 'FULL',
    });
    expect(worker.Retry.at(-1).ErrorEquals).toEqual(['States.ALL']);
  });

  it('lets the map read manifests under the report prefix only', () => {
    const reads = policyStatements(s.template).filter(
      (st) => st.policy.startsWith('WorkflowStateMachineRole') && asList(st.Action).includes('s3:GetObject'),
    );
    expect(reads).toHaveLength(1);
    expect(reads[0]!.Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/reports/*']],
    });
  });
});

describe('alarms', () => {
  const alarms = () =>
    Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('alarm on every function error, DLQ depth and failed executions, all to the SNS topic', () => {
    // The alarm topic, not the alerts topic (test/infra/alerts.test.ts) that no alarm notifies.
    const alarmTopic = Object.keys(resourcesOf(s.template, 'AWS::SNS::Topic')).filter((id) =>
      id.startsWith('Alarms'),
    );
    expect(alarmTopic).toHaveLength(1);
    const topic = { Ref: alarmTopic[0] };
    const errors = alarms().filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda');
    expect(
      errors.map((a) => (a.Dimensions as Array<{ Value: { Ref: string } }>)[0]!.Value.Ref).sort(),
    ).toEqual(
      Object.values(reportFunctions(s.template))
        .map((fn) => fn.id)
        .sort(),
    );
    const dlq = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    const failed = alarms().filter((a) => a.MetricName === 'ExecutionsFailed');
    for (const alarm of [...errors, ...dlq, ...failed]) {
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
    expect(dlq).toHaveLength(1);
    expect(failed).toHaveLength(1);
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic]);
  });

  it('alarm when no nightly run succeeded for 26 hours, counting silence as failure', () => {
    const [missing] = alarms().filter((a) => a.MetricName === 'NightlySucceeded');
    expect(missing).toEqual(
      expect.objectContaining({
        Namespace: 'IngestionReports',
        Dimensions: [{ Name: 'service', Value: 'nightly' }],
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 26,
        DatapointsToAlarm: 26,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      }),
    );
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(s.app, { verbose: true }).validateScope(s.app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources[0]?.constructPath}`,
    );
    expect(findings).toEqual([]);
  });
});

describe('outputs', () => {
  it('name the bucket, the secret, the user pool and what happens to them on deletion (data stack)', () => {
    const outputs = s.dataTemplate.toJSON().Outputs as Record<string, { Export?: unknown }>;
    const plain = Object.keys(outputs).filter((name) => !outputs[name]!.Export);
    expect(plain.sort()).toEqual([
      'AddUserToGroupCommand',
      'ApiKeySecretArn',
      'CreateUserCommand',
      'OnStackDeletion',
      'ReportBucketName',
      'UserPoolId',
    ]);
  });

  it('name the HTTP URL, the app client, the nightly function, the state machine, the topic (service stack)', () => {
    const outputs = s.serviceTemplate.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'AlertsTopicArn',
      'HttpApiUrl',
      'NightlyFunctionName',
      'StateMachineArn',
      'UserPoolClientId',
    ]);
  });
});
