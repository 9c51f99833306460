import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  onlyResource,
  policyStatements,
  reportFunctions,
  resourcesOf,
  type Synthesized,
  synth,
} from './synth';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:deepset/api-key-AbC123';
const API_KEY_MARKER = 'test-key-b61d0f4a-imported-never-in-template';

describe('a production-like configuration (imported secret, email, tracing, own prefixes)', () => {
  let s: Synthesized;
  let json: string;
  beforeAll(() => {
    process.env.DEEPSET_API_KEY = API_KEY_MARKER;
    try {
      // Strings, as `cdk synth -c key=value` passes them.
      s = synth({
        apiKeySecretArn: SECRET_ARN,
        alarmEmail: 'oncall@example.com',
        lambdaTracing: 'true',
        reportPrefix: 'exports/daily/',
        runRetentionDays: '30',
        logRetentionDays: '90',
        apiConcurrency: '32',
        fanoutMaxConcurrency: '20',
        scheduleCron: 'cron(30 1 ? * MON-FRI *)',
        scheduleTimeZone: 'America/New_York',
        cognitoDomainPrefix: 'acme-reports',
      });
    } finally {
      delete process.env.DEEPSET_API_KEY;
    }
    json = JSON.stringify(s.template.toJSON());
  });

  it('imports the secret instead of creating one and passes only its ARN', () => {
    const secrets = Object.keys(resourcesOf(s.template, 'AWS::SecretsManager::Secret'));
    expect(secrets.filter((id) => id.startsWith('ApiKey'))).toEqual([]);
    expect(json).not.toContain(API_KEY_MARKER);
    for (const fn of Object.values(reportFunctions(s.template))) {
      expect(fn.env.DEEPSET_API_KEY_SECRET_ARN).toBe(SECRET_ARN);
    }
    const reads = policyStatements(s.template).filter((st) =>
      asList(st.Action).includes('secretsmanager:GetSecretValue'),
    );
    const readers = reads
      .filter((st) => st.Resource === SECRET_ARN)
      .map((st) => st.policy.replace(/Role.*$/, ''));
    expect(readers.sort()).toEqual([
      'FanoutFinalize',
      'FanoutPlan',
      'FanoutWorker',
      'Http',
      'Nightly',
      'Run',
    ]);
    // Every other read is of a secret this stack creates (the sign-in secrets), by reference.
    for (const st of reads.filter((x) => x.Resource !== SECRET_ARN)) {
      expect(st.Resource).toEqual({ Ref: expect.stringMatching(/^SignIn/) });
    }
  });

  it('gives the hosted UI the configured domain prefix', () => {
    expect(onlyResource(s.template, 'AWS::Cognito::UserPoolDomain').props.Domain).toBe('acme-reports');
  });

  it('subscribes the alarm email to the topic', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('turns on active tracing for every function and stays cdk-nag clean', () => {
    for (const fn of Object.values(reportFunctions(s.template))) {
      expect(fn.props.TracingConfig).toEqual({ Mode: 'Active' });
    }
    expect(new AwsSolutionsChecks(s.app).validateScope(s.app).violations).toEqual([]);
  });

  it('uses the configured prefix, retentions, concurrency and schedule everywhere', () => {
    expect(json).not.toContain('reports/');
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'exports/daily/',
            ExpirationInDays: 30,
          }),
        ]),
      },
    });
    const objectArns = policyStatements(s.template)
      .flatMap((st) => asList(st.Resource))
      .filter((r) => JSON.stringify(r).includes('/exports/daily/*'));
    expect(objectArns.length).toBeGreaterThanOrEqual(6);
    for (const group of Object.values(resourcesOf(s.template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
    expect(json).toContain('\\"MaxConcurrency\\":20');
    expect(onlyResource(s.template, 'AWS::Scheduler::Schedule').props).toMatchObject({
      ScheduleExpression: 'cron(30 1 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'America/New_York',
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { REPORT_CONCURRENCY: '32', REPORT_PREFIX: 'exports/daily/' } },
      ReservedConcurrentExecutions: 20,
    });
  });
});

describe('no workspaces configured', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ workspaces: '' });
  });

  it('deploys the schedule disabled, without the 26 h alarm, and says so at synth', () => {
    expect(onlyResource(s.template, 'AWS::Scheduler::Schedule').props.State).toBe('DISABLED');
    const metrics = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.MetricName,
    );
    expect(metrics).not.toContain('NightlySucceeded');
    expect(metrics).toContain('ApproximateNumberOfMessagesVisible');
    Annotations.fromStack(s.service).hasWarning('*', Match.stringLikeRegexp("Context 'workspaces' is empty"));
  });
});
