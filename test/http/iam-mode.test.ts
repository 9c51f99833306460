/**
 * HTTP_AUTH=iam: the Function URL checked SigV4 before the app ran, so the app adds no sign-in,
 * shows the caller's ARN from the event, and lists every workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../functions/http/app';
import { loadAuthConfig } from '../../functions/http/auth/auth-config';
import { type AuthFixture, startAuthFixture } from './auth-support';

let fixture: AuthFixture;
beforeAll(async () => {
  fixture = await startAuthFixture();
});
afterAll(async () => {
  await fixture?.close();
});

describe('HTTP_AUTH=iam', () => {
  it('adds no sign-in (the Function URL checked SigV4) and shows the caller', async () => {
    const iam = createHttpApp({
      store: fixture.fx.store,
      auth: loadAuthConfig({ HTTP_AUTH: 'iam', AWS_LAMBDA_FUNCTION_NAME: 'ingestion-reports-http' }),
      createClient: async () => {
        throw new Error('not called');
      },
    });
    const caller = 'arn:aws:iam::123456789012:user/ana';
    const requestContext = {
      domainName: 'x.lambda-url.eu-central-1.on.aws',
      authorizer: { iam: { userArn: caller } },
    };
    const page = await iam.fetch(new Request('https://x/workspaces/demo/dashboard'), { requestContext });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Signed in with AWS IAM as <strong>${caller}</strong>`);
    const list = await iam.fetch(new Request('https://x/workspaces'), { requestContext });
    const items = ((await list.json()) as { items: { workspace: string }[] }).items;
    expect(items.map((item) => item.workspace)).toEqual(['acme', 'demo']);
  });
});
