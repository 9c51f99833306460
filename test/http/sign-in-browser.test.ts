/**
 * Sign-in end to end in headless Chromium against the real OpenID provider of `npm start --
 * --auth oidc` (emulator/oidc: oidc-provider, its own login form): analyst signs in through the
 * form, sees the home page, opens the dashboard and downloads a CSV; outsider sees no `demo` and
 * gets the 403 page; analyst has no run button and gets 403 on POST; operator runs a report from
 * the dashboard; a page of another origin cannot make a signed-in browser post; no open redirect;
 * the session cookie's flags. Screenshots of the home and 403 pages go to the temp directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { launchChromium, skipWithoutChromium } from '../support/chromium';

const PASSWORD = 'demo-password-4c1e';
const SCREENSHOTS = {
  home: join(tmpdir(), 'sign-in-home.png'),
  forbidden: join(tmpdir(), 'sign-in-403.png'),
  runnerDashboard: join(tmpdir(), 'sign-in-runner-dashboard.png'),
};

const skip = skipWithoutChromium('sign-in browser test');

let local: LocalServer;
let api: RunningEmulator;
let browser: Browser;
let dataDir: string;
let evil: Server;
let evilUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sign-in-browser-'));
  const quiet = { info: () => {}, error: () => {} };
  // A small API (as with DEEPSET_API_URL and a key), so a run from the dashboard takes a moment.
  api = await startEmulator({ port: 0, sessions: 6, maxFiles: 60, apiKey: 'browser-test-key' });
  local = await startLocalServer({
    port: 0,
    dataDir,
    env: { DEEPSET_API_URL: api.url, DEEPSET_API_KEY: 'browser-test-key', DEEPSET_WORKSPACES: 'demo' },
    logger: quiet,
    embeddedSignIn: true,
    demoPassword: PASSWORD,
  });
  browser = await launchChromium();
  // Another origin on the same site (127.0.0.1, another port): SameSite=Lax lets the cookie ride
  // along on its form POST, so only the app's own origin check stands between it and a run.
  evil = createServer((_req, res) => {
    // no-referrer: the browser then sends Origin: null, the case where only Sec-Fetch-Site tells.
    res.writeHead(200, { 'content-type': 'text/html', 'referrer-policy': 'no-referrer' });
    res.end(
      `<!doctype html><form id="f" method="post" action="${local.url}/workspaces/demo/reports"><button>go</button></form>`,
    );
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  evil?.close();
  await local?.close();
  await api?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Opens `path` in a fresh context, signs in through the provider's form, and returns the page. */
async function signIn(username: string, path = '/'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${local.url}${path}`);
  expect(page.url().startsWith(`${local.oidc!.issuer}/interaction/`), 'sent to the provider').toBe(true);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((url) => url.origin === local.url), page.click('button[type=submit]')]);
  return { context, page };
}

describe.skipIf(skip)('sign-in in Chromium', () => {
  it('checks the password for real', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${local.url}/`);
    await page.fill('#username', 'analyst');
    await page.fill('#password', 'not-the-password');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    expect(answer.status()).toBe(401);
    expect(await page.locator('.error').textContent()).toContain('Wrong username or password');
    expect((await context.cookies(local.url)).map((c) => c.name)).not.toContain('reports-session');
    await context.close();
  });

  it('analyst: home page, dashboard, CSV download; no run button, and 403 on POST', async () => {
    const { context, page } = await signIn('analyst');
    expect(new URL(page.url()).pathname).toBe('/');
    const session = (await context.cookies(local.url)).find((c) => c.name === 'reports-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    const rows = page.locator('table.workspaces tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-workspace')).toBe('demo');
    expect(await page.locator('nav.userbar').textContent()).toContain('analyst@example.test');
    await page.screenshot({ path: SCREENSHOTS.home, fullPage: true });

    await Promise.all([
      page.waitForURL(/\/workspaces\/demo\/dashboard$/),
      page.click('a[href$="/workspaces/demo/dashboard"]'),
    ]);
    expect(await page.locator('h1').first().textContent()).toContain('demo');
    expect(await page.locator('nav.userbar a[href="/logout"]').count()).toBe(1);
    expect(await page.locator('nav.userbar a[href="/"]').count()).toBe(1);
    expect(await page.locator('form.run').count(), 'no run control for a reader').toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[href$="/sessions.csv"]').click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^session_id,status,/);

    const post = await context.request.post(`${local.url}/workspaces/demo/reports`, {
      headers: { Origin: local.url },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');

    await page.click('a[href="/logout"]');
    expect(await page.locator('h1').textContent()).toBe('You are signed out');
    expect((await context.cookies(local.url)).map((c) => c.name)).not.toContain('reports-session');
    await context.close();
  });

  it('outsider: demo is not listed, and its dashboard is a 403 page naming the group', async () => {
    const { context, page } = await signIn('outsider');
    expect(await page.locator('table.workspaces').count()).toBe(0);
    expect(await page.locator('#no-workspaces').textContent()).toContain('reports-readers:<workspace>');
    const response = await page.goto(`${local.url}/workspaces/demo/dashboard`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('#forbidden').textContent()).toContain('reports-readers:demo');
    await page.screenshot({ path: SCREENSHOTS.forbidden, fullPage: true });
    const download = await context.request.get(`${local.url}/workspaces/demo/reports/latest/sessions.csv`, {
      maxRedirects: 0,
    });
    expect(download.status()).toBe(403);
    expect(download.headers().location).toBeUndefined();
    await context.close();
  });

  it('operator: runs a report from the dashboard; a page of another origin cannot', async () => {
    const { context, page } = await signIn('operator', '/workspaces/demo/dashboard');
    expect(new URL(page.url()).pathname, 'back where the user started').toBe('/workspaces/demo/dashboard');
    const before = await page.locator('dl.meta dd').first().textContent();
    await page.screenshot({ path: SCREENSHOTS.runnerDashboard });
    const [ran] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.run button'),
    ]);
    // The button's script starts the run (202), follows it, and reloads with the new run.
    expect(ran.status()).toBe(202);
    const { run_id: runId } = (await ran.json()) as { run_id: string };
    await page.waitForFunction((id) => document.body.textContent?.includes(id), runId, { timeout: 30_000 });
    const after = await page.locator('dl.meta dd').first().textContent();
    expect(after).not.toBe(before);

    const attack = await context.newPage();
    await attack.goto(evilUrl);
    const [answer] = await Promise.all([
      attack.waitForResponse(`${local.url}/workspaces/demo/reports`),
      attack.click('button'),
    ]);
    expect(answer.status()).toBe(403);
    expect(await answer.text()).toContain('CROSS_ORIGIN_REFUSED');
    await page.waitForTimeout(500);
    await page.reload();
    expect(await page.locator('dl.meta dd').first().textContent(), 'no run happened').toBe(after);
    await context.close();
  });

  it('never returns to another host after sign-in', async () => {
    const { context, page } = await signIn('analyst', '//evil.example.com/%2e%2e');
    expect(new URL(page.url()).origin).toBe(local.url);
    await context.close();
  });
});
