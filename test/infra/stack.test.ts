import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  onlyResource,
  policyStatements,
  reportFunction,
  reportFunctions,
  resourcesOf,
  type Synthesized,
  stateMachineDefinition,
  synth,
} from './synth';

// A key-shaped string in the environment of the process that synthesizes: it must never reach
// the template (the stack only ever passes the secret's ARN).
const API_KEY_MARKER = 'test-key-3f9c2e71-never-in-template';

let s: Synthesized;
let json: string;

beforeAll(() => {
  process.env.DEEPSET_API_KEY = API_KEY_MARKER;
  try {
    s = synth();
  } finally {
    delete process.env.DEEPSET_API_KEY;
  }
  json = JSON.stringify(s.template.toJSON());
});

/** The logical ID of the one secret whose ID starts with `prefix`. */
const secretId = (prefix: string) => {
  const ids = Object.keys(resourcesOf(s.template, 'AWS::SecretsManager::Secret')).filter((id) =>
    id.startsWith(prefix),
  );
  if (ids.length !== 1) throw new Error(`expected one secret ${prefix}*, found ${ids.length}`);
  return ids[0]!;
};
const apiKeyId = () => secretId('ApiKey');

const bucketId = () => {
  const buckets = resourcesOf(s.template, 'AWS::S3::Bucket');
  const id = Object.keys(buckets).find((key) => key.startsWith('Reports') && !key.includes('AccessLogs'));
  if (!id) throw new Error('no report bucket');
  return id;
};

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

describe('functions', () => {
  it('all run arm64 Node.js 22 with JSON logs to their own log group with retention, and reserved concurrency', () => {
    const functions = reportFunctions(s.template);
    const logGroups = resourcesOf(s.template, 'AWS::Logs::LogGroup');
    expect(Object.keys(functions).sort()).toEqual([
      'fanout-finalize',
      'fanout-plan',
      'fanout-worker',
      'http',
      'nightly',
    ]);
    for (const fn of Object.values(functions)) {
      const p = fn.props;
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Handler).toBe('index.handler');
      expect(p.ReservedConcurrentExecutions).toEqual(expect.any(Number));
      const logging = p.LoggingConfig as { LogFormat: string; LogGroup: { Ref: string } };
      expect(logging.LogFormat).toBe('JSON');
      expect(logGroups[logging.LogGroup.Ref]?.Properties.RetentionInDays).toBe(30);
      const env = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('size and limit each function for its job', () => {
    expect(fnOf('http').props).toMatchObject({
      MemorySize: 1024,
      Timeout: 300,
      ReservedConcurrentExecutions: 10,
    });
    expect(fnOf('nightly').props).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 1 });
    expect(fnOf('fanout-worker').props).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 8 });
  });

  it('give the HTTP function the report env and, by default, Cognito sign-in by IDs and secret ARNs', () => {
    const poolId = onlyResource(s.template, 'AWS::Cognito::UserPool').id;
    expect(envOf('http')).toEqual({
      REPORT_BUCKET: { Ref: bucketId() },
      REPORT_PREFIX: 'reports/',
      DEEPSET_API_URL: 'https://api.cloud.deepset.ai/api/v1',
      DEEPSET_API_KEY_SECRET_ARN: { Ref: apiKeyId() },
      REPORT_CONCURRENCY: '16',
      HTTP_AUTH: 'oidc',
      OIDC_ISSUER: {
        'Fn::Join': [
          '',
          [
            'https://cognito-idp.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
            { Ref: poolId },
          ],
        ],
      },
      OIDC_CLIENT_ID: { Ref: onlyResource(s.template, 'AWS::Cognito::UserPoolClient').id },
      OIDC_CLIENT_SECRET_ARN: { Ref: secretId('SignInCognitoAppClientSecret') },
      OIDC_AUTH_SECRET_ARN: { Ref: secretId('SignInSessionKey') },
      OIDC_GROUPS_CLAIM: 'cognito:groups',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'http',
      POWERTOOLS_METRICS_NAMESPACE: 'IngestionReports',
    });
  });

  it('give the nightly function its workspaces, the state machine and the fan-out threshold', () => {
    expect(envOf('nightly')).toMatchObject({
      DEEPSET_WORKSPACES: 'acme,globex',
      STATE_MACHINE_ARN: { Ref: onlyResource(s.template, 'AWS::StepFunctions::StateMachine').id },
      FANOUT_THRESHOLD_FILES: '200000',
      DEEPSET_API_KEY_SECRET_ARN: expect.anything(),
    });
  });

  it('expose the HTTP function through an open Function URL by default: the app signs users in', () => {
    const { props } = onlyResource(s.template, 'AWS::Lambda::Url');
    expect(props.AuthType).toBe('NONE');
    expect(props.TargetFunctionArn).toEqual({ 'Fn::GetAtt': [functionId('http'), 'Arn'] });
  });

  it('retry a failed nightly run once, then send it to the dead-letter queue', () => {
    const { props } = onlyResource(s.template, 'AWS::Lambda::EventInvokeConfig');
    expect(props.FunctionName).toEqual({ Ref: functionId('nightly') });
    expect(props.MaximumRetryAttempts).toBe(1);
    const queues = Object.keys(s.template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(1);
    expect(props.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [queues[0], 'Arn'] } },
    });
  });
});

describe('API key secret', () => {
  it('is created with a generated placeholder, never a value, and only its ARN reaches the functions', () => {
    const props = resourcesOf(s.template, 'AWS::SecretsManager::Secret')[apiKeyId()]!.Properties;
    expect(props.SecretString).toBeUndefined();
    expect(props.GenerateSecretString).toBeDefined();
    expect(json).not.toContain(API_KEY_MARKER);
    expect(json).not.toContain('"DEEPSET_API_KEY"');
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
        Input: JSON.stringify({ workspaces: ['acme', 'globex'] }),
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
    const topic = { Ref: onlyResource(s.template, 'AWS::SNS::Topic').id };
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

describe('least privilege', () => {
  it('grants no wildcard actions and no S3 access beyond the report bucket and its prefix', () => {
    const bucketArn = { 'Fn::GetAtt': [bucketId(), 'Arn'] };
    const prefixArn = { 'Fn::Join': ['', [bucketArn, '/reports/*']] };
    for (const statement of policyStatements(s.template)) {
      const actions = asList(statement.Action as string | string[]);
      expect(actions).not.toContain('*');
      expect(actions).not.toContain('s3:*');
      if (actions.some((a) => a.startsWith('s3:'))) {
        for (const resource of asList(statement.Resource))
          expect([bucketArn, prefixArn]).toContainEqual(resource);
      }
      if (asList(statement.Resource).includes('*')) {
        expect(actions.every((a) => /^(xray|logs):/.test(a))).toBe(true);
      }
    }
  });

  it('lets only the nightly function start the state machine, and reads each secret by its ARN', () => {
    const starts = policyStatements(s.template).filter((st) =>
      asList(st.Action).includes('states:StartExecution'),
    );
    expect(starts.map((st) => st.policy).sort()).toEqual([
      expect.stringMatching(/^NightlyRole/),
      expect.stringMatching(/^WorkflowStateMachineDistributedMapPolicy/),
    ]);
    const secretReads = policyStatements(s.template).filter((st) =>
      asList(st.Action).includes('secretsmanager:GetSecretValue'),
    );
    const readers = (id: string) =>
      secretReads
        .filter((st) => JSON.stringify(st.Resource) === JSON.stringify({ Ref: id }))
        .map((st) => st.policy.replace(/Role.*$/, ''))
        .sort();
    expect(readers(apiKeyId())).toEqual(['FanoutFinalize', 'FanoutPlan', 'FanoutWorker', 'Http', 'Nightly']);
    expect(readers(secretId('SignInCognitoAppClientSecret'))).toEqual(['Http']);
    expect(readers(secretId('SignInSessionKey'))).toEqual(['Http']);
    expect(secretReads).toHaveLength(7);
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
  it('name the bucket, the HTTP URL, the state machine, the secret and the user pool', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual([
      'AddUserToGroupCommand',
      'AlarmTopicArn',
      'ApiKeySecretArn',
      'CreateUserCommand',
      'HttpApiUrl',
      'ReportBucketName',
      'StateMachineArn',
      'UserPoolClientId',
      'UserPoolId',
    ]);
  });
});

const fnOf = (service: string) => reportFunction(s.template, service);
const envOf = (service: string) => fnOf(service).env;
const functionId = (service: string): string => fnOf(service).id;
