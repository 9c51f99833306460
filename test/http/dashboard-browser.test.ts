/**
 * The dashboard in real headless Chromium (Debian's package, driven by playwright-core) over a
 * real local server: it loads with no console errors and no failed or outside requests, the
 * four charts and their tables are there, a CSV link downloads the CSV, and the page fits a
 * laptop screen. Saves a screenshot (docs/dashboard.png for the README with UPDATE_SCREENSHOT=1).
 *
 * Without /usr/bin/chromium the test is skipped locally (with the reason) and fails in CI
 * (CI=true), where .ci/run installs it.
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorSession, touch } from '../../emulator/dataset';
import { UploadSessionsClient } from '../../lib/api';
import { publishReport } from '../../lib/report/publish';
import { newRunId } from '../../lib/report/run-id';
import { launchChromium, openCleanPage, skipWithoutChromium } from '../support/chromium';
import { runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture, storeBytes, TEST_API_KEY } from './support';

// Refresh the README's picture with UPDATE_SCREENSHOT=1; otherwise a test run leaves the tree clean.
const SCREENSHOT =
  process.env.UPDATE_SCREENSHOT === '1'
    ? new URL('../../docs/dashboard.png', import.meta.url).pathname
    : join(tmpdir(), 'ingestion-reports-dashboard.png');
const DAY_MS = 86_400_000;

/** A day of ingestion: a third of the moving pending files finish (one in eleven fails); a fifth stay stuck. */
function progress(sessions: EmulatorSession[], day: number): void {
  for (const session of sessions) {
    session.files.forEach((file, index) => {
      if (file.ingestion_status !== 'PENDING' || index % 5 === 0 || (index + day) % 3 !== 0) return;
      const fails = (index + day) % 11 === 0;
      file.ingestion_status = fails ? 'FAILED' : 'FINISHED';
      file.ingestion_status_reason = fails ? 'UNKNOWN_ERROR' : null;
    });
  }
}

describe.skipIf(skipWithoutChromium('dashboard browser test'))('the dashboard in Chromium', () => {
  let fx: HttpFixture;
  let server: Server;
  let base: string;
  let browser: Browser;
  let latestRunId: string;

  beforeAll(async () => {
    fx = await startHttpFixture({ emulator: { seed: 3, sessions: 20, maxFiles: 300 } });
    browser = await launchChromium();
    // A week of nightly runs while the workspace grows and ingestion catches up, then one now.
    const all = fx.emulator.dataset.workspaces.get('demo')!;
    const client = () => new UploadSessionsClient({ baseUrl: fx.emulator.url, apiKey: TEST_API_KEY });
    for (let day = 6; day >= 1; day--) {
      fx.emulator.dataset.workspaces.set('demo', all.slice(0, all.length - day * 2));
      touch(fx.emulator.dataset);
      const night = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - day * DAY_MS + 2 * 3_600_000);
      await publishReport({
        client: client(),
        store: fx.store,
        workspace: 'demo',
        mode: 'full',
        runId: newRunId(night),
      });
      progress(all, day);
    }
    fx.emulator.dataset.workspaces.set('demo', all);
    touch(fx.emulator.dataset);
    server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: fx.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started as Server),
      );
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const overHttp = { request: (path: string, init?: RequestInit) => fetch(base + path, init) };
    latestRunId = (await runToEnd(overHttp, '/workspaces/demo/reports')).run_id;
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await fx?.close();
  });

  it('renders the charts with no errors, downloads a CSV, and fits a laptop screen', async () => {
    const { context, page } = await openCleanPage(browser, `${base}/workspaces/demo/dashboard`);

    for (const id of ['status-chart', 'reasons-chart', 'sessions-chart', 'trend-chart']) {
      const figure = page.locator(`figure#${id}`);
      await expect(figure.locator('svg[role="img"]').count()).resolves.toBe(1);
      expect((await figure.locator('svg > title').textContent())?.trim()).toBeTruthy();
      expect((await figure.locator('figcaption h2').textContent())?.trim()).toBeTruthy();
      const box = await figure.locator('svg').boundingBox();
      expect(box?.width, `${id} is drawn`).toBeGreaterThan(300);
      expect(box?.height, `${id} is drawn`).toBeGreaterThan(80);
      expect(await figure.locator('details table tbody tr').count(), `${id} has table rows`).toBeGreaterThan(
        0,
      );
    }
    expect(await page.locator('figure#trend-chart details tbody tr').count()).toBe(7);
    expect(await page.locator('figure#sessions-chart svg g.bar').count()).toBe(10);

    // The table fallback opens.
    await page.locator('figure#reasons-chart summary').click();
    expect(await page.locator('figure#reasons-chart table').isVisible()).toBe(true);
    await page.locator('figure#reasons-chart summary').click();

    // Readable on a laptop: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('list').getByRole('link', { name: 'sessions.csv' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`demo-${latestRunId}-sessions.csv`);
    const saved = await readFile((await download.path())!);
    const day = `${latestRunId.slice(0, 4)}-${latestRunId.slice(4, 6)}-${latestRunId.slice(6, 8)}`;
    expect(saved.equals(await storeBytes(fx.store, `demo/${day}/${latestRunId}/sessions.csv`))).toBe(true);
    expect(saved.toString('utf8').split('\r\n')[0]).toBe(
      'session_id,status,write_mode,created_at,expires_at,created_by,created_by_user_id,total_files,pending,failed,finished,error,other,stuck',
    );
    await context.close();
  });
});
