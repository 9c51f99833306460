/**
 * `npm start -- --auth oidc` without a browser: the banner names the provider, the demo users and
 * their password; a script gets a bearer token from the local provider (client credentials) and
 * reads, but may not run; a signed-in session is refreshed through the provider's refresh token;
 * and a local server never serves an open API beyond this machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SCRIPT_CLIENT_ID } from '../../emulator/oidc/users';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { createHttpApp } from '../../functions/http/app';
import { loadAuthConfig } from '../../functions/http/auth/auth-config';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { startBanner } from '../../functions/local/start-banner';
import { CookieJar, signInWithFetch, step } from './code-flow';
import { startJwksIssuer } from './jwks-issuer';

const PASSWORD = 'local-sign-in-password';
const quiet = { info: () => {}, error: () => {} };
let api: RunningEmulator;
let local: LocalServer;
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'local-sign-in-'));
  dirs.push(dir);
  return dir;
}

const apiEnv = () => ({ DEEPSET_API_URL: api.url, DEEPSET_API_KEY: 'local-key', DEEPSET_WORKSPACES: 'demo' });

beforeAll(async () => {
  api = await startEmulator({ port: 0, sessions: 4, maxFiles: 30, apiKey: 'local-key' });
  local = await startLocalServer({
    port: 0,
    dataDir: await tempDir(),
    env: apiEnv(),
    logger: quiet,
    embeddedSignIn: true,
    demoPassword: PASSWORD,
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await local?.close();
  await api?.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm start -- --auth oidc', () => {
  it('prints the provider, the demo users and the password', () => {
    const banner = startBanner(local, '.data');
    expect(banner).toContain(`local OpenID provider ${local.oidc!.issuer}`);
    expect(banner).toMatch(/analyst +reports-readers\n/);
    expect(banner).toMatch(/operator +reports-runners\n/);
    expect(banner).toMatch(/outsider +reports-readers:other\n/);
    expect(banner).toContain(`password: ${PASSWORD}`);
    expect(banner).not.toContain(local.oidc!.clientSecret);
    expect(local.auth).toMatchObject({ mode: 'oidc', issuer: local.oidc!.issuer });
  });

  it('a script reads with a client-credentials token from the provider, and may not run', async () => {
    const token = await fetch(`${local.oidc!.issuer}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${SCRIPT_CLIENT_ID}:${local.oidc!.scriptSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${accessToken}` };
    const list = await fetch(`${local.url}/workspaces`, { headers: auth });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { workspace: string }[] }).items.map((w) => w.workspace)).toEqual(
      ['demo'],
    );
    const run = await fetch(`${local.url}/workspaces/demo/reports`, { method: 'POST', headers: auth });
    expect(run.status).toBe(403);
  });

  it('refreshes a session through the provider when its refresh interval has passed', async () => {
    vi.stubEnv('OIDC_AUTH_REFRESH_INTERVAL', '1');
    const jar = new CookieJar();
    const flow = await signInWithFetch(jar, `${local.url}/workspaces`, 'analyst', PASSWORD);
    expect(flow.at(-1)!.status).toBe(200);
    const session = () => jar.header(local.url).match(/reports-session=([^;]+)/)?.[1];
    const first = session();
    expect(first).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const again = await step(jar, `${local.url}/workspaces`);
    expect(again.status).toBe(200);
    expect(again.headers.getSetCookie().some((c) => c.startsWith('reports-session='))).toBe(true);
    expect(session()).not.toBe(first);
  });
});

describe('sessions that are not what they should be', () => {
  it('a tampered session cookie is no session; a refused sign-in answer is a page, not a 500', async () => {
    const jar = new CookieJar();
    await signInWithFetch(jar, `${local.url}/workspaces`, 'analyst', PASSWORD);
    const cookie = jar.header(local.url).match(/reports-session=([^;]+)/)![1]!;
    const [header, payload] = cookie.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['reports-runners'] })).toString(
      'base64url',
    );
    const tampered = await fetch(`${local.url}/workspaces/demo/reports`, {
      method: 'POST',
      headers: { Cookie: `reports-session=${header}.${forged}.${cookie.split('.')[2]}`, Origin: local.url },
    });
    expect(tampered.status).toBe(401);
    const denied = await step(jar, `${local.url}/auth/callback?error=access_denied&state=whatever`);
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('Sign-in did not complete');
  });
});

describe('an issuer that is down', () => {
  it('API callers without a session still get 401 at once; a browser gets 503, not an open door', async () => {
    const app = createHttpApp({
      // Never reached: every request here is refused before the store.
      store: {} as never,
      createClient: async () => {
        throw new Error('not called');
      },
      logger: quiet,
      auth: loadAuthConfig({ ...local.oidc!.env, OIDC_ISSUER: 'http://127.0.0.1:9/down' }),
    });
    const api = await app.request('/workspaces/demo/reports');
    expect(api.status).toBe(401);
    const page = await app.request('/workspaces/demo/dashboard', { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(((await page.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_UNAVAILABLE');
  });
});

describe('npm start with the OIDC_* variables of an issuer this project did not write', () => {
  it('enforces sign-in against it: discovery, a JWKS and RS256 tokens are all it has', async () => {
    const idp = await startJwksIssuer();
    const env = {
      ...apiEnv(),
      HTTP_AUTH: 'oidc',
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: 'external-app',
      OIDC_CLIENT_SECRET: 'external-secret',
      OIDC_AUTH_SECRET: 'x'.repeat(40),
    };
    const server = await startLocalServer({ port: 0, dataDir: await tempDir(), env, logger: quiet });
    try {
      expect(startBanner(server, '.data')).toContain(`sign-in        OpenID, issuer ${idp.issuer}`);
      const token = (groups: string[]) => idp.mint({ aud: 'external-app', groups });
      const get = async (path: string, headers: Record<string, string> = {}) =>
        fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
      expect((await get('/workspaces')).status).toBe(401);
      const page = await get('/', { Accept: 'text/html' });
      expect(page.status).toBe(302);
      expect(page.headers.get('Location')!.startsWith(`${idp.issuer}/authorize?`)).toBe(true);
      const reader = { Authorization: `Bearer ${await token(['reports-readers:demo'])}` };
      expect((await get('/workspaces/demo/reports/latest', reader)).status).toBe(200);
      expect((await get('/workspaces/other/reports', reader)).status).toBe(403);
      const outsider = { Authorization: `Bearer ${await token(['reports-readers:other'])}` };
      expect((await get('/workspaces/demo/dashboard', outsider)).status).toBe(403);
    } finally {
      await server.close();
      await idp.close();
    }
  });
});

describe('a local server with sign-in off', () => {
  it('says so in the banner, and refuses to listen beyond this machine', async () => {
    const open = await startLocalServer({ port: 0, dataDir: await tempDir(), env: apiEnv(), logger: quiet });
    try {
      expect(startBanner(open, '.data')).toContain('sign-in        OFF: open to anyone on this machine');
    } finally {
      await open.close();
    }
    const options = { port: 0, dataDir: await tempDir(), logger: quiet };
    await expect(startLocalServer({ ...options, host: '0.0.0.0', env: apiEnv() })).rejects.toThrow(
      'invalid HOST: 0.0.0.0 with sign-in off would open the API to the network',
    );
    await expect(startLocalServer({ ...options, env: { ...apiEnv(), HTTP_AUTH: 'iam' } })).rejects.toThrow(
      'invalid HTTP_AUTH: "iam" needs a Lambda Function URL in front',
    );
  });
});
