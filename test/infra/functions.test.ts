/**
 * The default template's functions: runtime, sizing and environment of each, the Function URL,
 * the nightly retries, the API key secret (created without a value, passed by ARN only), and
 * least privilege across every role.
 */
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
  secretIdOf,
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

const secretId = (prefix: string) => secretIdOf(s.template, prefix);
const apiKeyId = () => secretId('ApiKey');
const bucketId = () => reportBucketId(s.template);
const fnOf = (service: string) => reportFunction(s.template, service);
const envOf = (service: string) => fnOf(service).env;
const functionId = (service: string): string => fnOf(service).id;

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
      'run',
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
      Timeout: 30,
      ReservedConcurrentExecutions: 10,
    });
    expect(fnOf('nightly').props).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 1 });
    expect(fnOf('run').props).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 2 });
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
      STUCK_AFTER_HOURS: '24',
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
      RUN_FUNCTION_NAME: { Ref: functionId('run') },
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

  it('give the run function the same state machine and threshold, to decide as the nightly one does', () => {
    expect(envOf('run')).toMatchObject({
      STATE_MACHINE_ARN: envOf('nightly').STATE_MACHINE_ARN,
      FANOUT_THRESHOLD_FILES: envOf('nightly').FANOUT_THRESHOLD_FILES,
    });
  });

  it('expose the HTTP function through an open Function URL by default: the app signs users in', () => {
    const { props } = onlyResource(s.template, 'AWS::Lambda::Url');
    expect(props.AuthType).toBe('NONE');
    expect(props.TargetFunctionArn).toEqual({ 'Fn::GetAtt': [functionId('http'), 'Arn'] });
  });

  it('retry a failed nightly run once, then send it to the dead-letter queue; never retry a run started over HTTP', () => {
    const configs = Object.values(resourcesOf(s.template, 'AWS::Lambda::EventInvokeConfig')).map(
      (r) => r.Properties,
    );
    expect(configs).toHaveLength(2);
    const of = (service: string) =>
      configs.find((c) => JSON.stringify(c.FunctionName) === JSON.stringify({ Ref: functionId(service) }))!;
    expect(of('run')).toMatchObject({ MaximumRetryAttempts: 0 });
    const props = of('nightly');
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

  it('lets only the nightly and run functions start the state machine, and reads each secret by its ARN', () => {
    const starts = policyStatements(s.template).filter((st) =>
      asList(st.Action).includes('states:StartExecution'),
    );
    expect(starts.map((st) => st.policy).sort()).toEqual([
      expect.stringMatching(/^NightlyRole/),
      expect.stringMatching(/^RunRole/),
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
    expect(readers(apiKeyId())).toEqual([
      'FanoutFinalize',
      'FanoutPlan',
      'FanoutWorker',
      'Http',
      'Nightly',
      'Run',
    ]);
    expect(readers(secretId('SignInCognitoAppClientSecret'))).toEqual(['Http']);
    expect(readers(secretId('SignInSessionKey'))).toEqual(['Http']);
    expect(secretReads).toHaveLength(8);
  });
});
