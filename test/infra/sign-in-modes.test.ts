/**
 * Every sign-in mode (httpAuth = cognito, oidc, iam) as synthesized: the Function URL's auth,
 * the HTTP function's sign-in environment and the secrets it may read, what each mode leaves
 * out, no dependency cycle, no secret in plain text, and cdk-nag clean.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCycle, type TemplateJson } from './dependency-graph';
import {
  asList,
  onlyResource,
  policyStatements,
  reportFunction,
  reportFunctions,
  resourcesOf,
  type Synthesized,
  synth,
} from './synth';

const CLIENT_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:entra/reports-Zx9Kq1';
const OIDC = {
  httpAuth: 'oidc',
  oidcIssuer: 'https://login.microsoftonline.com/0b5e7c3a-1d2f-4a6b-9c8d-112233445566/v2.0',
  oidcClientId: '6f1d9e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6',
  oidcClientSecretArn: CLIENT_SECRET_ARN,
};
const MODES = { cognito: {}, oidc: OIDC, iam: { httpAuth: 'iam' } } as const;
type Mode = keyof typeof MODES;

// Values in the synthesizing process's environment, where a careless stack could pick them up:
// none may reach the template.
const MARKERS = {
  OIDC_CLIENT_SECRET: 'client-secret-5e0f2a91-never-in-template',
  OIDC_AUTH_SECRET: 'cookie-key-8c3d7b64-never-in-template-0123456789',
};

/** The findings the sign-in resources acknowledge, per mode, where they do. */
const SIGN_IN_ACKNOWLEDGEMENTS: Record<Mode, string[]> = {
  cognito: [
    'IngestionReports-prod-Data/SignIn/Cognito/Users AwsSolutions-COG2',
    'IngestionReports-prod-Data/SignIn/Cognito/Users AwsSolutions-COG8',
    'IngestionReports-prod-Data/SignIn/SessionKey AwsSolutions-SMG4',
    'IngestionReports-prod-Service/SignIn/Cognito/AppClient/Secret AwsSolutions-SMG4',
  ],
  oidc: ['IngestionReports-prod-Data/SignIn/SessionKey AwsSolutions-SMG4'],
  iam: [],
};

/** Every acknowledged validation finding in `app`: `<construct path> <finding>` and its reason. */
function acknowledgements(app: IConstruct): Array<[string, string]> {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      // The namespace CDK files the ID under ('Annotation::') is its own business.
      .map(([id, reason]): [string, string] => [
        `${construct.node.path} ${id.replace(/^\w+::/, '')}`,
        reason,
      ]),
  );
}

const synthesized = {} as Record<Mode, Synthesized>;
beforeAll(() => {
  Object.assign(process.env, MARKERS);
  try {
    for (const mode of Object.keys(MODES) as Mode[]) synthesized[mode] = synth(MODES[mode]);
  } finally {
    for (const name of Object.keys(MARKERS)) delete process.env[name];
  }
});

const templateOf = (mode: Mode) => synthesized[mode].template;
const httpEnv = (mode: Mode) => reportFunction(templateOf(mode), 'http').env;
const secretIds = (mode: Mode) => Object.keys(resourcesOf(templateOf(mode), 'AWS::SecretsManager::Secret'));
const sessionKeyRef = (mode: Mode) => ({
  Ref: secretIds(mode).find((id) => id.startsWith('SignInSessionKey')),
});

/** The report functions' roles (Http, Nightly, ...) that may read `resource`. */
function readersOf(mode: Mode, resource: unknown): string[] {
  return policyStatements(templateOf(mode))
    .filter((st) => asList(st.Action).includes('secretsmanager:GetSecretValue'))
    .filter((st) => JSON.stringify(st.Resource) === JSON.stringify(resource))
    .map((st) => st.policy.replace(/Role.*$/, ''))
    .sort();
}

describe.each(Object.keys(MODES) as Mode[])('httpAuth=%s', (mode) => {
  it('has no dependency cycle', () => {
    expect(findCycle(templateOf(mode).toJSON() as TemplateJson)).toBeUndefined();
  });

  it('puts no secret in plain text into the template', () => {
    const json = JSON.stringify(templateOf(mode).toJSON());
    for (const marker of Object.values(MARKERS)) expect(json).not.toContain(marker);
    // Every SecretString is a reference resolved at deploy time, never a literal.
    for (const match of json.matchAll(/"SecretString":(.)/g)) expect(match[1]).toBe('{');
    for (const [name, value] of Object.entries(httpEnv(mode))) {
      if (/SECRET/.test(name)) expect(name, `${name}=${JSON.stringify(value)}`).toMatch(/_SECRET_ARN$/);
    }
  });

  it('stays cdk-nag clean, each finding acknowledged with its reason', () => {
    const { app } = synthesized[mode];
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
    const acknowledged = acknowledgements(app);
    for (const [path, reason] of acknowledged) expect(reason.length, path).toBeGreaterThan(30);
    const signIn = acknowledged.filter(([path]) => path.includes('/SignIn/')).map(([path]) => path);
    expect(signIn.sort()).toEqual(SIGN_IN_ACKNOWLEDGEMENTS[mode]);
  });
});

describe('httpAuth=cognito and oidc: the app signs users in', () => {
  it.each(['cognito', 'oidc'] as const)('%s: the Function URL is open (auth NONE)', (mode) => {
    expect(onlyResource(templateOf(mode), 'AWS::Lambda::Url').props.AuthType).toBe('NONE');
  });

  it.each(['cognito', 'oidc'] as const)('%s: a generated cookie key only the HTTP function reads', (mode) => {
    const key = resourcesOf(templateOf(mode), 'AWS::SecretsManager::Secret')[sessionKeyRef(mode).Ref!]!;
    expect(key.Properties.SecretString).toBeUndefined();
    expect(key.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(httpEnv(mode).OIDC_AUTH_SECRET_ARN).toEqual(sessionKeyRef(mode));
    expect(readersOf(mode, sessionKeyRef(mode))).toEqual(['Http']);
  });

  it.each(['cognito', 'oidc'] as const)('%s: the other functions get no sign-in settings', (mode) => {
    for (const [service, fn] of Object.entries(reportFunctions(templateOf(mode)))) {
      if (service === 'http') continue;
      expect(
        Object.keys(fn.env).filter((name) => /^(HTTP_AUTH|OIDC_)/.test(name)),
        service,
      ).toEqual([]);
    }
  });
});

describe('httpAuth=oidc: an existing provider', () => {
  it('passes the provider exactly as configured, with the groups claim defaulting to groups', () => {
    expect(httpEnv('oidc')).toMatchObject({
      HTTP_AUTH: 'oidc',
      OIDC_ISSUER: OIDC.oidcIssuer,
      OIDC_CLIENT_ID: OIDC.oidcClientId,
      OIDC_CLIENT_SECRET_ARN: CLIENT_SECRET_ARN,
      OIDC_GROUPS_CLAIM: 'groups',
    });
    expect(httpEnv('oidc').OIDC_AUDIENCE).toBeUndefined();
    const custom = synth({ ...OIDC, oidcGroupsClaim: 'https://acme.example/groups' });
    expect(reportFunction(custom.template, 'http').env.OIDC_GROUPS_CLAIM).toBe('https://acme.example/groups');
  });

  it('lets only the HTTP function read the client secret, by its complete ARN', () => {
    expect(readersOf('oidc', CLIENT_SECRET_ARN)).toEqual(['Http']);
  });

  it('creates no Cognito resources, no custom resources, and only the cookie key and API key secrets', () => {
    const types = Object.values(templateOf('oidc').toJSON().Resources).map(
      (r) => (r as { Type: string }).Type,
    );
    expect(types.filter((t) => t.startsWith('AWS::Cognito::') || t.startsWith('Custom::'))).toEqual([]);
    expect(Object.keys(resourcesOf(templateOf('oidc'), 'AWS::Lambda::Function'))).toHaveLength(6);
    expect(
      secretIds('oidc')
        .map((id) => id.replace(/[A-F0-9]{8}$/, ''))
        .sort(),
    ).toEqual(['ApiKey', 'SignInSessionKey']);
    const outputs = Object.keys(templateOf('oidc').toJSON().Outputs);
    expect(outputs).toContain('HttpApiUrl');
    expect(outputs).not.toContain('UserPoolId');
  });
});

describe('httpAuth=iam: SigV4 only, as before', () => {
  it('keeps the Function URL on IAM auth and tells the app so', () => {
    expect(onlyResource(templateOf('iam'), 'AWS::Lambda::Url').props.AuthType).toBe('AWS_IAM');
    expect(httpEnv('iam').HTTP_AUTH).toBe('iam');
    expect(Object.keys(httpEnv('iam')).filter((name) => name.startsWith('OIDC_'))).toEqual([]);
    const outputs = templateOf('iam').toJSON().Outputs;
    expect(outputs.HttpApiUrl.Description).toContain('SigV4');
    expect(outputs.UserPoolId).toBeUndefined();
  });

  it('creates no sign-in resources: no pool, no cookie key, no custom resource', () => {
    const types = Object.values(templateOf('iam').toJSON().Resources).map(
      (r) => (r as { Type: string }).Type,
    );
    expect(types.filter((t) => t.startsWith('AWS::Cognito::') || t.startsWith('Custom::'))).toEqual([]);
    expect(secretIds('iam').map((id) => id.replace(/[A-F0-9]{8}$/, ''))).toEqual(['ApiKey']);
  });
});

describe('findCycle (the check above)', () => {
  it('finds the cycle of naming the Function URL in the app client itself', () => {
    const template = structuredClone(templateOf('cognito').toJSON()) as TemplateJson;
    const client = onlyResource(templateOf('cognito'), 'AWS::Cognito::UserPoolClient').id;
    const url = onlyResource(templateOf('cognito'), 'AWS::Lambda::Url').id;
    const props = template.Resources[client]!.Properties as Record<string, unknown>;
    props.CallbackURLs = [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [url, 'FunctionUrl'] }, 'auth/callback']] }];
    const cycle = findCycle(template);
    expect(cycle).toEqual(
      expect.arrayContaining([client, url, reportFunction(templateOf('cognito'), 'http').id]),
    );
    expect(cycle?.at(0)).toBe(cycle?.at(-1));
  });

  it('follows DependsOn and Fn::Sub references too', () => {
    const template: TemplateJson = {
      Resources: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not a JS template.
        A: { Properties: { Name: { 'Fn::Sub': 'x-${B.Arn}-${!Literal}-${AWS::Region}' } } },
        B: { DependsOn: ['C'] },
        C: { Properties: { Target: { Ref: 'A' } } },
      },
    };
    expect(findCycle(template)).toEqual(['A', 'B', 'C', 'A']);
    delete template.Resources.B!.DependsOn;
    expect(findCycle(template)).toBeUndefined();
  });
});
