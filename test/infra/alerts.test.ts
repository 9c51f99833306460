/**
 * The alerts in the template: a topic of their own beside the operations alarm topic, its
 * optional email and webhook subscriptions, the thresholds in the environment of exactly the
 * functions that run reports, an alarm per workspace and rule set at the same threshold, and the
 * context keys refused in one line naming the key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_METRICS, WORKSPACE_DIMENSION } from '../../functions/shared/alert-metrics';
import { InfraConfigError, parseInfraConfig } from '../../infra/config';
import { ALERT_PUBLISH_FAILED_METRIC, ALERT_RULE_METRICS } from '../../infra/report-alarms';
import { reportFunctions, resourcesOf, type Synthesized, synth } from './synth';

const THRESHOLDS = { alertFailureRatePct: '2.5', alertNewFailed: '0', alertStuckFiles: 100 };

function topicIds(s: Synthesized) {
  const ids = Object.keys(resourcesOf(s.template, 'AWS::SNS::Topic'));
  return {
    alerts: ids.find((id) => id.startsWith('Alerts'))!,
    alarms: ids.find((id) => id.startsWith('Alarms'))!,
  };
}

describe('without alert context', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  it('has an alerts topic apart from the alarm topic: encrypted, TLS only, no subscriptions', () => {
    const { alerts, alarms } = topicIds(s);
    expect(alerts).toBeDefined();
    expect(alarms).toBeDefined();
    const topic = resourcesOf(s.template, 'AWS::SNS::Topic')[alerts]!;
    // The AWS-managed key, by its alias's ARN: its key policy lets SNS use it for the account.
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toContain(':alias/aws/sns');
    const policy = Object.values(resourcesOf(s.template, 'AWS::SNS::TopicPolicy')).find((p) =>
      (p.Properties.Topics as unknown[]).some((t) => JSON.stringify(t) === JSON.stringify({ Ref: alerts })),
    );
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    const subscriptions = Object.values(resourcesOf(s.template, 'AWS::SNS::Subscription'));
    expect(subscriptions.filter((sub) => JSON.stringify(sub.Properties.TopicArn).includes(alerts))).toEqual(
      [],
    );
    expect(Object.keys(s.serviceTemplate.toJSON().Outputs)).toContain('AlertsTopicArn');
  });

  it('tells the functions that run reports the topic, and no rule is on', () => {
    const { alerts } = topicIds(s);
    const functions = reportFunctions(s.template);
    for (const service of ['nightly', 'run', 'fanout-finalize']) {
      expect(functions[service]!.env.ALERTS_TOPIC_ARN, service).toEqual({ Ref: alerts });
      expect(Object.keys(functions[service]!.env).filter((k) => k.startsWith('ALERT_'))).toEqual([]);
    }
    for (const service of ['http', 'fanout-plan', 'fanout-worker']) {
      expect(functions[service]!.env, service).not.toHaveProperty('ALERTS_TOPIC_ARN');
    }
  });

  it('grants sns:Publish on the alerts topic only, to those three roles only', () => {
    const { alerts } = topicIds(s);
    const publishing = Object.values(resourcesOf(s.template, 'AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter((st) =>
        [st.Action].flat().some((a) => String(a).startsWith('sns:')),
      ).map((st) => ({ roles: policy.Properties.Roles, action: st.Action, resource: st.Resource })),
    );
    expect(publishing).toHaveLength(3);
    for (const grant of publishing)
      expect(grant).toMatchObject({ action: 'sns:Publish', resource: { Ref: alerts } });
    const roles = publishing.map((g) => JSON.stringify(g.roles));
    const functions = reportFunctions(s.template);
    const roleOf = (service: string) =>
      JSON.stringify([
        { Ref: (functions[service]!.props.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] },
      ]);
    expect(roles.sort()).toEqual(['nightly', 'run', 'fanout-finalize'].map(roleOf).sort());
  });

  it('alarms on the alarm topic when an alert could not be published', () => {
    const { alarms } = topicIds(s);
    const notPublished = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .filter((p) => p.MetricName === ALERT_PUBLISH_FAILED_METRIC);
    const services = notPublished.map((p) =>
      (p.Dimensions as { Name: string; Value: string }[]).map((d) => `${d.Name}=${d.Value}`).join(),
    );
    expect(services.sort()).toEqual(['service=fanout-finalize', 'service=nightly', 'service=run']);
    for (const p of notPublished) {
      expect(p).toMatchObject({
        Namespace: 'IngestionReports',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: alarms }],
      });
    }
  });

  it('has no alert rule alarms', () => {
    const names = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.MetricName,
    );
    expect(names.filter((name) => Object.values(ALERT_RULE_METRICS).includes(name as never))).toEqual([]);
  });
});

describe('with thresholds and subscriptions in context', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      ...THRESHOLDS,
      alertEmail: 'oncall@example.com',
      alertWebhookUrl: 'https://hooks.example.com/ingestion',
      publicBaseUrl: 'https://reports.example.com/',
    });
  });

  it('subscribes the email address and the webhook to the alerts topic', () => {
    const { alerts } = topicIds(s);
    const subscriptions = Object.values(resourcesOf(s.template, 'AWS::SNS::Subscription')).map(
      (sub) => sub.Properties,
    );
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Protocol: 'email',
          Endpoint: 'oncall@example.com',
          TopicArn: { Ref: alerts },
        }),
        expect.objectContaining({
          Protocol: 'https',
          Endpoint: 'https://hooks.example.com/ingestion',
          TopicArn: { Ref: alerts },
        }),
      ]),
    );
  });

  it('passes the thresholds and the public origin to the functions that run reports', () => {
    const functions = reportFunctions(s.template);
    for (const service of ['nightly', 'run', 'fanout-finalize']) {
      expect(functions[service]!.env, service).toMatchObject({
        ALERT_FAILURE_RATE_PCT: '2.5',
        ALERT_NEW_FAILED: '0',
        ALERT_STUCK_FILES: '100',
        PUBLIC_BASE_URL: 'https://reports.example.com',
      });
    }
    expect(functions.http!.env).not.toHaveProperty('ALERT_NEW_FAILED');
  });

  it('alarms per workspace and rule, strictly over the same threshold, on the alarm topic', () => {
    const { alarms } = topicIds(s);
    const ruleAlarms = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .filter((p) => Object.values(ALERT_RULE_METRICS).includes(p.MetricName as never));
    const seen = ruleAlarms.map((p) => [
      p.MetricName,
      (p.Dimensions as { Name: string; Value: string }[]).map((d) => `${d.Name}=${d.Value}`).join(),
      p.Threshold,
    ]);
    expect(seen.sort()).toEqual(
      [
        ['FailureRatePct', 'Workspace=acme', 2.5],
        ['FailureRatePct', 'Workspace=globex', 2.5],
        ['NewlyFailed', 'Workspace=acme', 0],
        ['NewlyFailed', 'Workspace=globex', 0],
        ['StuckPendingFiles', 'Workspace=acme', 100],
        ['StuckPendingFiles', 'Workspace=globex', 100],
      ].sort(),
    );
    for (const p of ruleAlarms) {
      expect(p).toMatchObject({
        Namespace: 'IngestionReports',
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
        TreatMissingData: 'ignore',
        AlarmActions: [{ Ref: alarms }],
      });
    }
  });
});

describe('alert context keys', () => {
  const errorFor = (context: Record<string, unknown>) => {
    try {
      parseInfraConfig((key) => context[key]);
    } catch (error) {
      if (error instanceof InfraConfigError) return error.message;
      throw error;
    }
    throw new Error(`accepted ${JSON.stringify(context)}`);
  };

  it.each([
    [
      'alertFailureRatePct',
      '150',
      'Invalid CDK context \'alertFailureRatePct\': expected a number from 0 to 100 (got "150")',
    ],
    [
      'alertNewFailed',
      '-1',
      'Invalid CDK context \'alertNewFailed\': expected a whole number from 0 to 1000000000 (got "-1")',
    ],
    [
      'alertStuckFiles',
      'lots',
      'Invalid CDK context \'alertStuckFiles\': expected a whole number from 0 to 1000000000 (got "lots")',
    ],
    ['alertEmail', 'oncall', 'Invalid CDK context \'alertEmail\': expected an email address (got "oncall")'],
    [
      'publicBaseUrl',
      'https://r.example.com/app',
      'Invalid CDK context \'publicBaseUrl\': expected an origin like https://reports.example.com (no path or query) (got "https://r.example.com/app")',
    ],
  ])('%s=%s fails synth in one line', (key, value, message) => {
    expect(errorFor({ [key]: value })).toBe(message);
  });

  it('refuses a webhook that is not https or carries credentials, without echoing it', () => {
    expect(errorFor({ alertWebhookUrl: 'http://hooks.example.com/x' })).toBe(
      "Invalid CDK context 'alertWebhookUrl': expected an https:// URL",
    );
    expect(errorFor({ alertWebhookUrl: 'https://user:s3cret@hooks.example.com/x' })).toBe(
      "Invalid CDK context 'alertWebhookUrl': must not contain credentials (user:password@)",
    );
  });
});

it('names the same metrics the functions emit, under the one dimension they use', () => {
  expect(ALERT_RULE_METRICS).toEqual({
    failureRatePct: ALERT_METRICS.failure_rate_pct,
    newFailed: ALERT_METRICS.new_failed,
    stuckFiles: ALERT_METRICS.stuck_files,
  });
  expect(ALERT_PUBLISH_FAILED_METRIC).toBe(ALERT_METRICS.publishFailed);
  expect(WORKSPACE_DIMENSION).toBe('Workspace');
});
