import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildApp, FEATURE_FLAGS } from '../../infra/build-app';
import { INFRA_DEFAULTS, InfraConfigError, parseInfraConfig } from '../../infra/config';
import { PROJECT_ROOT } from '../../infra/report-function';
import { STAGE_KEYS, STAGE_PRESETS } from '../../infra/stages';

const parse = (context: Record<string, unknown>) => parseInfraConfig((key) => context[key]);

/** The error `parse` throws for `context`, or a failure when it does not throw one. */
function errorFor(context: Record<string, unknown>): InfraConfigError {
  try {
    parse(context);
  } catch (error) {
    if (error instanceof InfraConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(context)}`);
}

describe('parseInfraConfig', () => {
  it('applies the documented defaults', () => {
    expect(parse({})).toEqual({
      apiUrl: 'https://api.cloud.deepset.ai/api/v1',
      apiKeySecretArn: undefined,
      workspaces: [],
      scheduleCron: 'cron(0 3 * * ? *)',
      scheduleTimeZone: 'Europe/Berlin',
      reportPrefix: 'reports/',
      runRetentionDays: 90,
      logRetentionDays: 30,
      apiConcurrency: 16,
      nightlyReservedConcurrency: 1,
      httpReservedConcurrency: 10,
      fanoutThresholdFiles: 200_000,
      fanoutMaxConcurrency: 8,
      fanoutBatchFiles: 50_000,
      stuckAfterHours: 24,
      alarmEmail: undefined,
      lambdaTracing: false,
      httpAuth: { mode: 'cognito', domainPrefix: undefined },
    });
  });

  it('keeps cdk.json in step with the defaults in code, the stage presets under stages', async () => {
    const cdkJson = JSON.parse(await readFile(join(PROJECT_ROOT, 'cdk.json'), 'utf8'));
    expect(cdkJson.app).toBe('npx tsx infra/app.ts');
    // A stage key at the top level would override every stage's preset.
    const shared = Object.fromEntries(
      Object.entries(INFRA_DEFAULTS).filter(([key]) => !(STAGE_KEYS as readonly string[]).includes(key)),
    );
    expect(cdkJson.context).toEqual({ ...FEATURE_FLAGS, ...shared, stages: STAGE_PRESETS });
    // The code's defaults are the prod stage's presets.
    expect(STAGE_PRESETS.prod).toEqual(
      Object.fromEntries(STAGE_KEYS.map((key) => [key, INFRA_DEFAULTS[key]])),
    );
  });

  it('accepts -c strings for numbers and booleans, and trims, drops and dedupes workspaces', () => {
    const config = parse({
      apiConcurrency: '32',
      lambdaTracing: 'true',
      workspaces: ' acme, ,globex,acme ',
      apiUrl: 'https://api.us.deepset.ai/api/v1/',
    });
    expect(config).toMatchObject({ apiConcurrency: 32, lambdaTracing: true, workspaces: ['acme', 'globex'] });
    expect(config.apiUrl).toBe('https://api.us.deepset.ai/api/v1');
    expect(parse({ workspaces: ['acme', 'beta-2'] }).workspaces).toEqual(['acme', 'beta-2']);
  });

  it.each([
    ['apiUrl', 'http://api.cloud.deepset.ai/api/v1', 'https://'],
    ['apiKeySecretArn', 'arn:aws:s3:::not-a-secret', 'complete ARN'],
    ['apiKeySecretArn', 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:partial', 'complete ARN'],
    ['workspaces', 'acme,../etc', 'each workspace must match'],
    ['scheduleCron', 'rate(1 day)', 'six fields'],
    ['scheduleCron', 'cron(0 3 * * ?)', 'six fields'],
    ['scheduleTimeZone', 'Mars/Olympus', 'IANA time zone'],
    ['reportPrefix', 'reports', "ending in '/'"],
    ['reportPrefix', 'reports/*/', "ending in '/'"],
    ['reportPrefix', '/reports/', "ending in '/'"],
    ['runRetentionDays', 0, 'from 1 to 3650'],
    ['logRetentionDays', 31, 'retention periods'],
    ['apiConcurrency', 'lots', 'whole number from 1 to 256'],
    ['apiConcurrency', 2.5, 'whole number'],
    ['nightlyReservedConcurrency', -1, 'from 1 to 1000'],
    ['httpReservedConcurrency', 0, 'from 1 to 1000'],
    ['fanoutThresholdFiles', '1e5', 'whole number'],
    ['fanoutMaxConcurrency', 10_001, 'from 1 to 10000'],
    ['fanoutBatchFiles', 10, 'from 1000 to 10000000'],
    ['stuckAfterHours', 0, 'hours > 0'],
    ['stuckAfterHours', 'a day', 'from 0 to 87600'],
    ['alarmEmail', 'not-an-email', 'email address'],
    ['lambdaTracing', 'yes', 'true or false'],
    ['httpAuth', 'basic', 'expected one of cognito, oidc, iam'],
    ['httpAuth', 'IAM', 'expected one of cognito, oidc, iam'],
    ['cognitoDomainPrefix', 'Reports', 'lowercase letters'],
    ['cognitoDomainPrefix', 'reports-', 'inner hyphens'],
    ['cognitoDomainPrefix', 'x'.repeat(64), 'at most 63'],
    ['cognitoDomainPrefix', 'acme-aws-reports', "must not contain 'aws'"],
    ['cognitoDomainPrefix', 'my-cognito', "must not contain 'aws', 'amazon' or 'cognito'"],
    ['oidcIssuer', 'http://login.example.com', 'https://'],
    ['oidcIssuer', 'login.example.com', 'https://'],
    ['oidcIssuer', 'https://login.example.com/?tenant=1', 'no query or fragment'],
    ['oidcClientId', 'my client', 'without spaces'],
    ['oidcClientSecretArn', 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:oidc', 'complete ARN'],
    ['oidcGroupsClaim', '', 'claim name'],
    ['oidcGroupsClaim', 'my groups', 'claim name'],
  ])('rejects %s = %j with an error naming the key', (key, value, hint) => {
    const oidc = key.startsWith('oidc') ? OIDC_CONTEXT : {};
    const error = errorFor({ ...oidc, [key]: value });
    expect(error.name).toBe('InfraConfigError');
    expect(error.key).toBe(key);
    expect(error.message).toContain(`Invalid CDK context '${key}'`);
    expect(error.message).toContain(hint);
  });

  it('never echoes the value given for apiKeySecretArn (it may be the key itself)', () => {
    const error = errorFor({ apiKeySecretArn: 'sk-live-0123456789abcdef' });
    expect(error.message).not.toContain('sk-live');
  });

  it('never echoes the value given for oidcClientSecretArn (it may be the client secret itself)', () => {
    const error = errorFor({ ...OIDC_CONTEXT, oidcClientSecretArn: 'Xq7v~client-secret-value' });
    expect(error.key).toBe('oidcClientSecretArn');
    expect(error.message).not.toContain('client-secret-value');
  });
});

const OIDC_CONTEXT = {
  httpAuth: 'oidc',
  // Auth0 spells its issuer with a trailing slash: it must reach the app unchanged.
  oidcIssuer: 'https://acme.eu.auth0.com/',
  oidcClientId: '0oa1b2c3d4EXAMPLE',
  oidcClientSecretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:oidc/client-AbC123',
};

describe('parseInfraConfig: sign-in modes', () => {
  it('defaults to a Cognito pool and takes its domain prefix', () => {
    expect(parse({ cognitoDomainPrefix: 'acme-reports' }).httpAuth).toEqual({
      mode: 'cognito',
      domainPrefix: 'acme-reports',
    });
  });

  it('takes an existing provider exactly as given, with the groups claim defaulting to groups', () => {
    expect(parse(OIDC_CONTEXT).httpAuth).toEqual({
      mode: 'oidc',
      issuer: 'https://acme.eu.auth0.com/',
      clientId: '0oa1b2c3d4EXAMPLE',
      clientSecretArn: OIDC_CONTEXT.oidcClientSecretArn,
      groupsClaim: 'groups',
    });
    const claim = 'https://reports.acme.example/groups';
    expect(parse({ ...OIDC_CONTEXT, oidcGroupsClaim: claim }).httpAuth).toMatchObject({ groupsClaim: claim });
  });

  it('takes iam with nothing else', () => {
    expect(parse({ httpAuth: 'iam' }).httpAuth).toEqual({ mode: 'iam' });
  });

  it.each(['oidcIssuer', 'oidcClientId', 'oidcClientSecretArn'])(
    'requires %s when httpAuth=oidc, naming it',
    (key) => {
      for (const missing of [undefined, '']) {
        const error = errorFor({ ...OIDC_CONTEXT, [key]: missing });
        expect(error.key).toBe(key);
        expect(error.message).toBe(`Invalid CDK context '${key}': is required when httpAuth=oidc`);
      }
    },
  );

  it.each([
    ['oidcIssuer', 'https://login.example.com', 'cognito'],
    ['oidcClientId', 'abc', 'iam'],
    ['oidcClientSecretArn', OIDC_CONTEXT.oidcClientSecretArn, 'cognito'],
  ])('refuses %s without httpAuth=oidc (httpAuth=%s would ignore it)', (key, value, mode) => {
    const error = errorFor({ httpAuth: mode, [key]: value });
    expect(error.key).toBe(key);
    expect(error.message).toContain('is only used with httpAuth=oidc');
  });

  it('refuses cognitoDomainPrefix with another mode', () => {
    for (const context of [{ httpAuth: 'iam' }, OIDC_CONTEXT]) {
      const error = errorFor({ ...context, cognitoDomainPrefix: 'acme-reports' });
      expect(error.message).toContain("'cognitoDomainPrefix': is only used with httpAuth=cognito");
    }
  });
});

describe('buildApp', () => {
  it('fails before building anything when the context is invalid', () => {
    expect(() => buildApp({ context: { fanoutMaxConcurrency: 'many' } })).toThrow(
      /Invalid CDK context 'fanoutMaxConcurrency'/,
    );
  });
});

describe('infra/app.ts (what `cdk synth` runs)', () => {
  it.each([
    [
      { apiConcurrency: 'lots' },
      `Invalid CDK context 'apiConcurrency': expected a whole number from 1 to 256 (got "lots")`,
    ],
    [{ httpAuth: 'oidc' }, `Invalid CDK context 'oidcIssuer': is required when httpAuth=oidc`],
    [{ stage: 'staging' }, `Invalid CDK context 'stage': expected one of dev, prod (got "staging")`],
  ])('prints one line naming the bad key and exits 1: %j', async (context, line) => {
    const outdir = await mkdtemp(join(tmpdir(), 'cdk-out-'));
    try {
      const run = promisify(execFile)(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['infra/app.ts'], {
        cwd: PROJECT_ROOT,
        // How the CDK CLI hands `-c apiConcurrency=lots` and the output folder to the app.
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify(context),
          CDK_OUTDIR: outdir,
        },
      });
      const failure = await run.then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr.trim()).toBe(line);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
