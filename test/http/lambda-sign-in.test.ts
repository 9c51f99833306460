/**
 * The Lambda entry with sign-in on (HTTP_AUTH=oidc, as the CDK deploys it), invoked in-process
 * with Function URL events (payload 2.0) against an issuer this project did not write and
 * s3rver: a browser is redirected with every sign-in cookie in the result's `cookies` (Lambda
 * drops repeated Set-Cookie headers otherwise), the redirect URI and links use the Function URL's
 * own domain whatever the Host header says, and a bearer token reads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type JwksIssuer, startJwksIssuer } from './jwks-issuer';

const DOMAIN = 'abcdefghijklmnop.lambda-url.eu-central-1.on.aws';
let idp: JwksIssuer;
let s3: LocalS3;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambda-sign-in-'));
  [idp, s3] = await Promise.all([startJwksIssuer(), startLocalS3({ directory: dir })]);
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: 'ingestion-reports-http',
    HTTP_AUTH: 'oidc',
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: 'lambda-app',
    OIDC_CLIENT_SECRET: 'lambda-client-secret',
    OIDC_AUTH_SECRET: 'l'.repeat(40),
    REPORT_BUCKET: s3.bucket,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    DEEPSET_API_KEY: 'unused',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([idp?.close(), s3?.close()]);
  await rm(dir, { recursive: true, force: true });
});

function event(path: string, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: DOMAIN, 'x-forwarded-proto': 'https', ...headers },
    requestContext: {
      domainName: DOMAIN,
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

type Result = { statusCode: number; headers?: Record<string, string>; cookies?: string[]; body?: string };

async function invoke(path: string, headers: Record<string, string> = {}): Promise<Result> {
  const { handler } = await import('../../functions/http/handler');
  return (await handler(event(path, headers) as never, { awsRequestId: 'req-1' } as never)) as Result;
}

describe('the Lambda entry with HTTP_AUTH=oidc', () => {
  it('redirects a browser with all sign-in cookies, Secure and SameSite=Lax, to the issuer', async () => {
    const result = await invoke('/workspaces/demo/dashboard', {
      accept: 'text/html',
      host: 'evil.example.com',
    });
    expect(result.statusCode).toBe(302);
    const location = new URL(result.headers!.location!);
    expect(location.searchParams.get('redirect_uri')).toBe(`https://${DOMAIN}/auth/callback`);
    expect(result.cookies?.map((c) => c.split('=')[0]).sort()).toEqual([
      'code_verifier',
      'continue',
      'nonce',
      'state',
    ]);
    for (const cookie of result.cookies!) expect(cookie).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('answers JSON callers 401, and a reader with a bearer token', async () => {
    expect((await invoke('/workspaces')).statusCode).toBe(401);
    const token = await idp.mint({ aud: 'lambda-app', groups: ['reports-readers'] });
    const result = await invoke('/workspaces', { authorization: `Bearer ${token}` });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ items: [] });
  });
});
