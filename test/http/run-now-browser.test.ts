/**
 * "Run now" in a real browser (Chromium, playwright-core): the dashboard's button starts a run
 * without leaving the page, shows its progress (sessions done of total, a bar) by polling the
 * run status, then the page shows the new run; with a run already going (409) it follows that
 * run. Under the page's strict CSP: the inline script runs by its hash, and nothing is refused.
 * The emulator answers with latency, so the progress can be seen. Without /usr/bin/chromium the
 * test is skipped locally (with the reason) and fails in CI.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../functions/http/app';
import { UploadSessionsClient } from '../../lib/api';
import { launchChromium, skipWithoutChromium } from '../support/chromium';
import { runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture, TEST_API_KEY } from './support';

describe.skipIf(skipWithoutChromium('run-now browser test'))('"Run now" in Chromium', () => {
  let fx: HttpFixture;
  let server: Server;
  let base: string;
  let browser: Browser;
  const http = { request: (path: string, init?: RequestInit) => fetch(base + path, init) };

  beforeAll(async () => {
    fx = await startHttpFixture({ emulator: { sessions: 8, maxFiles: 150 } });
    const createClient = async () =>
      new UploadSessionsClient({ baseUrl: fx.emulator.url, apiKey: TEST_API_KEY, concurrency: 2 });
    const app = createHttpApp({
      store: fx.store,
      createClient,
      logger: { info: () => {}, error: () => {} },
      runLease: { statusIntervalMs: 200 },
    });
    server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started as Server),
      );
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await runToEnd(http, '/workspaces/demo/reports');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await fx?.close();
  });

  /** Opens the dashboard, noting anything the CSP refused. */
  async function dashboard(): Promise<{ page: Page; refused: string[] }> {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${base}/workspaces/demo/dashboard`);
    return { page, refused };
  }

  async function expectProgressThenRun(page: Page, runId: string): Promise<void> {
    await page.locator('form.run progress:not([hidden])').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.locator('form.run output').textContent(), { timeout: 10_000 })
      .toMatch(/^\d+ of (\d+|\?) sessions$/);
    // Complete: the page reloads and shows the new run.
    await page.waitForFunction((id) => document.body.textContent?.includes(id), runId, { timeout: 30_000 });
  }

  it('starts a run, shows sessions done of total and a bar, then the new run', async () => {
    fx.emulator.faults.latencyMs = 150;
    const { page, refused } = await dashboard();
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.run button'),
    ]);
    expect(posted.status()).toBe(202);
    const { run_id: runId } = (await posted.json()) as { run_id: string };
    expect(new URL(page.url()).pathname, 'the page stays').toBe('/workspaces/demo/dashboard');
    await expectProgressThenRun(page, runId);
    expect(refused).toEqual([]);
    fx.emulator.faults.latencyMs = 0;
    await page.close();
  });

  it('follows the run already going when the POST answers 409', async () => {
    fx.emulator.faults.latencyMs = 150;
    const started = await http.request('/workspaces/demo/reports', { method: 'POST' });
    const { run_id: runId } = (await started.json()) as { run_id: string };
    const { page, refused } = await dashboard();
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form.run button'),
    ]);
    expect(posted.status()).toBe(409);
    await expectProgressThenRun(page, runId);
    expect(refused).toEqual([]);
    fx.emulator.faults.latencyMs = 0;
    await page.close();
  });
});
