/**
 * HTTP_AUTH and the OIDC_* settings: each mistake is one line naming the variable (never a value),
 * and on Lambda an unset or `none` mode refuses to serve at all, so an open API cannot be
 * deployed by accident.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig } from '../../functions/http/auth/auth-config';
import { resolveAuthSecrets } from '../../functions/http/auth/auth-secrets';
import { withFlags } from '../../functions/http/auth/cookie-flags';
import { returnPath } from '../../functions/http/auth/session';
import { loadPublicBaseUrl } from '../../functions/shared/config';

const SECRET = 'a-client-secret-value-9f2c';
const KEY = 'k'.repeat(32);
const oidc = {
  HTTP_AUTH: 'oidc',
  OIDC_ISSUER: 'https://login.example.com/tenant/v2.0',
  OIDC_CLIENT_ID: 'app-1',
  OIDC_CLIENT_SECRET: SECRET,
  OIDC_AUTH_SECRET: KEY,
};

describe('loadAuthConfig', () => {
  it('defaults: open locally; audience = client id, groups claim `groups`', () => {
    expect(loadAuthConfig({})).toEqual({ mode: 'none' });
    expect(loadAuthConfig({ HTTP_AUTH: 'iam' })).toEqual({ mode: 'iam' });
    expect(loadAuthConfig(oidc)).toMatchObject({
      mode: 'oidc',
      audience: 'app-1',
      groupsClaim: 'groups',
      clientSecret: { value: SECRET },
    });
    expect(
      loadAuthConfig({
        ...oidc,
        OIDC_CLIENT_SECRET: undefined,
        OIDC_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:c',
        OIDC_GROUPS_CLAIM: 'cognito:groups',
        OIDC_AUDIENCE: 'api://reports',
      }),
    ).toMatchObject({
      clientSecret: { arn: 'arn:aws:secretsmanager:eu-central-1:1:secret:c' },
      groupsClaim: 'cognito:groups',
      audience: 'api://reports',
    });
  });

  it('on Lambda refuses an unset or `none` HTTP_AUTH', () => {
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'ingestion-reports-http' };
    expect(() => loadAuthConfig(lambda)).toThrow(
      /^invalid HTTP_AUTH: not set: on Lambda it must be "oidc" or "iam"/,
    );
    expect(() => loadAuthConfig({ ...lambda, HTTP_AUTH: 'none' })).toThrow(/invalid HTTP_AUTH: "none"/);
    expect(loadAuthConfig({ ...lambda, HTTP_AUTH: 'iam' })).toEqual({ mode: 'iam' });
  });

  it('names the variable of each mistake, never its value', () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ HTTP_AUTH: 'cognito' }, 'invalid HTTP_AUTH'],
      [{ ...oidc, OIDC_ISSUER: undefined }, 'invalid OIDC_ISSUER: required'],
      [{ ...oidc, OIDC_ISSUER: 'http://login.example.com' }, 'invalid OIDC_ISSUER: must be an https URL'],
      [{ ...oidc, OIDC_CLIENT_ID: ' ' }, 'invalid OIDC_CLIENT_ID'],
      [{ ...oidc, OIDC_CLIENT_SECRET: undefined }, 'invalid OIDC_CLIENT_SECRET: required'],
      [{ ...oidc, OIDC_CLIENT_SECRET_ARN: 'arn:x' }, 'not both'],
      [{ ...oidc, OIDC_AUTH_SECRET: 'short-secret-value' }, 'invalid OIDC_AUTH_SECRET: must be at least 32'],
      [{ ...oidc, OIDC_AUTH_SECRET_ARN: 'not-an-arn' }, 'invalid OIDC_AUTH_SECRET_ARN'],
    ];
    for (const [env, message] of cases) {
      const error = (() => {
        try {
          loadAuthConfig(env as NodeJS.ProcessEnv);
        } catch (e) {
          return e as Error;
        }
        throw new Error(`accepted: ${JSON.stringify(env)}`);
      })();
      expect(error.message).toContain(message);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('short-secret-value');
      expect(error.message.split('\n')).toHaveLength(1);
    }
  });

  it('PUBLIC_BASE_URL is an origin', () => {
    expect(loadPublicBaseUrl({ PUBLIC_BASE_URL: 'https://reports.example.com/' })).toBe(
      'https://reports.example.com',
    );
    expect(loadPublicBaseUrl({})).toBeUndefined();
    expect(() => loadPublicBaseUrl({ PUBLIC_BASE_URL: 'https://reports.example.com/app' })).toThrow(
      'invalid PUBLIC_BASE_URL: must be an origin',
    );
  });
});

describe('secrets from Secrets Manager (a stand-in reader: Secrets Manager is AWS-only)', () => {
  it('reads both by ARN and refuses a short cookie key without echoing it', async () => {
    const stored: Record<string, string> = { 'arn:c': SECRET, 'arn:k': KEY, 'arn:short': 'tiny-key' };
    const read = async (arn: string) => stored[arn];
    await expect(
      resolveAuthSecrets({ clientSecret: { arn: 'arn:c' }, cookieSecret: { arn: 'arn:k' } }, read),
    ).resolves.toEqual({
      clientSecret: SECRET,
      cookieSecret: KEY,
    });
    const short = resolveAuthSecrets(
      { clientSecret: { arn: 'arn:c' }, cookieSecret: { arn: 'arn:short' } },
      read,
    );
    await expect(short).rejects.toThrow('OIDC_AUTH_SECRET_ARN');
    await expect(short).rejects.not.toThrow('tiny-key');
    await expect(
      resolveAuthSecrets({ clientSecret: { arn: 'arn:none' }, cookieSecret: { value: KEY } }, read),
    ).rejects.toThrow('the secret of OIDC_CLIENT_SECRET_ARN is empty');
  });
});

describe('the return path after sign-in', () => {
  it('is a path on this app, never another origin', () => {
    const origin = 'https://reports.example.com';
    expect(returnPath(`${origin}/workspaces/demo/dashboard?x=1`, origin)).toBe(
      '/workspaces/demo/dashboard?x=1',
    );
    expect(returnPath('https://evil.example.com/x', origin)).toBe('/');
    expect(returnPath(`${origin}//evil.example.com/x`, origin)).toBe('/evil.example.com/x');
    expect(returnPath('//evil.example.com', origin)).toBe('/');
    expect(returnPath('/\\evil.example.com', origin)).toBe('/');
    expect(returnPath('javascript:alert(1)', origin)).toBe('/');
    expect(returnPath(null, origin)).toBe('/');
  });
});

describe('cookie flags', () => {
  it('SameSite=Lax always, Secure only on https', () => {
    expect(withFlags('a=1; Path=/; HttpOnly; Secure', false)).toBe('a=1; Path=/; HttpOnly; SameSite=Lax');
    expect(withFlags('a=1; Path=/; HttpOnly; SameSite=None', true)).toBe(
      'a=1; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
  });
});

describe('the Lambda handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('serves nothing when HTTP_AUTH is unset on Lambda, and says why in one log line', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'ingestion-reports-http');
    vi.stubEnv('HTTP_AUTH', '');
    vi.stubEnv('REPORT_BUCKET', 'bucket');
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
    const { handler } = await import('../../functions/http/handler');
    const event = {
      version: '2.0',
      rawPath: '/workspaces/demo/reports',
      rawQueryString: '',
      headers: { host: 'x.lambda-url.eu-central-1.on.aws' },
      requestContext: {
        domainName: 'x.lambda-url.eu-central-1.on.aws',
        http: { method: 'GET', path: '/workspaces/demo/reports' },
      },
      isBase64Encoded: false,
    };
    const result = (await handler(event as never, { awsRequestId: 'req-1' } as never)) as {
      statusCode: number;
    };
    expect(result.statusCode).toBe(500);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('invalid HTTP_AUTH: not set: on Lambda it must be \\"oidc\\" or \\"iam\\"');
  });
});
