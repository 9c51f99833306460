import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildApp, FEATURE_FLAGS } from '../../infra/build-app';
import { INFRA_DEFAULTS, InfraConfigError, parseInfraConfig } from '../../infra/config';
import { PROJECT_ROOT } from '../../infra/report-function';

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
      alarmEmail: undefined,
      lambdaTracing: false,
    });
  });

  it('keeps cdk.json in step with the defaults in code', async () => {
    const cdkJson = JSON.parse(await readFile(join(PROJECT_ROOT, 'cdk.json'), 'utf8'));
    expect(cdkJson.app).toBe('npx tsx infra/app.ts');
    expect(cdkJson.context).toEqual({ ...FEATURE_FLAGS, ...INFRA_DEFAULTS });
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
    ['alarmEmail', 'not-an-email', 'email address'],
    ['lambdaTracing', 'yes', 'true or false'],
  ])('rejects %s = %j with an error naming the key', (key, value, hint) => {
    const error = errorFor({ [key]: value });
    expect(error.name).toBe('InfraConfigError');
    expect(error.key).toBe(key);
    expect(error.message).toContain(`Invalid CDK context '${key}'`);
    expect(error.message).toContain(hint);
  });

  it('never echoes the value given for apiKeySecretArn (it may be the key itself)', () => {
    const error = errorFor({ apiKeySecretArn: 'sk-live-0123456789abcdef' });
    expect(error.message).not.toContain('sk-live');
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
  it('prints one line naming the bad key and exits 1', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'cdk-out-'));
    try {
      const run = promisify(execFile)(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['infra/app.ts'], {
        cwd: PROJECT_ROOT,
        // How the CDK CLI hands `-c apiConcurrency=lots` and the output folder to the app.
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ apiConcurrency: 'lots' }),
          CDK_OUTDIR: outdir,
        },
      });
      const failure = await run.then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr.trim()).toBe(
        `Invalid CDK context 'apiConcurrency': expected a whole number from 1 to 256 (got "lots")`,
      );
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
