/**
 * The "Since the previous run" and "Stuck" panels and the home page's new columns in real
 * headless Chromium (Debian's package, driven by playwright-core), served by the real local
 * server (`npm start`'s stack: embedded API and s3rver) over run folders written into its S3
 * by the report's own writers: the pages load with no console errors and no outside request
 * (the strict CSP holds), show the numbers of the run, and changes.csv downloads through the
 * panel's link byte for byte as stored. Screenshots go to PANELS_SCREENSHOT_DIR (default: the
 * temp folder) for a person to look at.
 *
 * Without /usr/bin/chromium the test is skipped locally (with the reason) and fails in CI
 * (CI=true), where .ci/run installs it.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REPORT_PREFIX, type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { REPORT_FILES } from '../../lib/report/columns';
import { runPrefix } from '../../lib/report/layout';
import { S3Store } from '../../lib/store/s3-store';
import { launchChromium, openCleanPage, skipWithoutChromium } from '../support/chromium';
import { PREVIOUS_RUN_ID, RUN_ID, writePanelScenario } from './panel-scenario';
import { storeBytes } from './support';

const SCREENSHOTS = process.env.PANELS_SCREENSHOT_DIR ?? tmpdir();

describe.skipIf(skipWithoutChromium('panels browser test'))('the change and stuck panels in Chromium', () => {
  let dataDir: string;
  let local: LocalServer;
  let store: S3Store;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'panels-browser-'));
    local = await startLocalServer({
      port: 0,
      dataDir,
      env: {},
      logger: { info: () => {}, error: () => {} },
    });
    store = new S3Store({ client: local.s3.client, bucket: local.s3.bucket, prefix: LOCAL_REPORT_PREFIX });
    await writePanelScenario(store);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await local?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens `path`; fails on console errors, failed requests, or a request to anywhere but the page. */
  async function open(path: string): Promise<{ page: Page; done: () => Promise<void> }> {
    const { context, page } = await openCleanPage(browser, local.url + path);
    // Readable on a laptop: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    return { page, done: () => context.close() };
  }

  /** The headline counts of a panel, label to value, as the browser renders them. */
  async function counts(page: Page, panel: string): Promise<Record<string, string>> {
    const items = page.locator(`#${panel} dl.counts > div`);
    const entries: [string, string][] = [];
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      entries.push([
        (await item.locator('dt').textContent()) ?? '',
        (await item.locator('dd').textContent()) ?? '',
      ]);
    }
    return Object.fromEntries(entries);
  }

  it('the dashboard shows both panels with the run’s numbers, and changes.csv downloads through the link', async () => {
    const { page, done } = await open('/workspaces/acme/dashboard');
    const changes = page.getByRole('region', { name: 'Since the previous run' });
    await expect(changes.isVisible()).resolves.toBe(true);
    expect(await counts(page, 'changes-panel')).toEqual({
      'Newly failed': '5',
      Finished: '7',
      Added: '4',
      Removed: '2',
    });
    expect(await changes.textContent()).toContain(`Compared with run ${PREVIOUS_RUN_ID}: all files.`);
    expect(await page.locator('#newly-failed-svg-title').textContent()).toBe('Newly failed by reason');
    const bars = await page.locator('#changes-panel svg g.bar title').allTextContents();
    expect(bars).toEqual(['EMPTY_FILE: 4', 'VIRUS_DETECTED: 1']);
    const box = await page.locator('#changes-panel svg').boundingBox();
    expect(box?.width, 'the bars are drawn').toBeGreaterThan(300);

    const stuck = page.getByRole('region', { name: 'Stuck' });
    expect(await counts(page, 'stuck-panel')).toEqual({
      'Stuck sessions': '13',
      'Pending files in them': '203',
      Threshold: '24 h',
    });
    const table = stuck.getByRole('table', { name: 'Stuck sessions, most pending files first' });
    expect(await table.locator('tbody tr').count()).toBe(10);
    expect(await table.locator('tbody tr').first().locator('th, td').allTextContents()).toEqual([
      'stuck-01',
      'Ada Lovelace1',
      '2026-11-27 01:00 UTC',
      '3 d 1 h',
      '40',
    ]);
    expect(await stuck.locator('p.more').textContent()).toBe(
      'and 3 more: the stuck column of sessions.csv marks them all.',
    );

    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-panels.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      changes.getByRole('link', { name: 'changes.csv' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`acme-${RUN_ID}-changes.csv`);
    const saved = await readFile((await download.path())!);
    expect(saved.equals(await storeBytes(store, runPrefix('acme', RUN_ID) + REPORT_FILES.changes))).toBe(
      true,
    );
    const lines = saved.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'session_id,file_ingestion_id,name,previous_status,status,ingestion_status_reason,change',
    );
    expect(lines).toHaveLength(1 + 17);
    await done();
  });

  it('the home page shows newly failed and stuck per workspace, and says when a run has neither', async () => {
    const { page, done } = await open('/');
    const row = async (workspace: string) => {
      const cells = page.locator(`tr[data-workspace="${workspace}"]`);
      return [
        await cells.locator('td.newly-failed').textContent(),
        await cells.locator('td.stuck').textContent(),
      ];
    };
    expect(await page.getByRole('columnheader').allTextContents()).toEqual([
      'Workspace',
      'Latest run',
      'Files',
      'Failed',
      'Pending',
      'Failure rate',
      'Newly failed',
      'Stuck',
      'Download',
    ]);
    expect(await row('acme')).toEqual(['5', '203 files / 13 sessions']);
    expect(await row('beta')).toEqual(['2', '0 files / 0 sessions']);
    expect(await row('gamma')).toEqual(['no comparison', '8 files / 1 session']);
    expect(await row('old')).toEqual(['not recorded', 'not recorded']);
    await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });
    await done();
  });

  it('a run with no baseline, one compared over failed files only, and one from before the panels', async () => {
    const gamma = await open('/workspaces/gamma/dashboard');
    expect(await gamma.page.locator('#changes-panel').textContent()).toContain('No comparison for this run:');
    expect(await gamma.page.locator('a[href$="changes.csv"]').count()).toBe(0);
    await gamma.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-no-baseline.png'), fullPage: true });
    await gamma.done();
    const beta = await open('/workspaces/beta/dashboard');
    expect(await beta.page.locator('#changes-panel strong').textContent()).toBe('failed files only');
    expect(await counts(beta.page, 'changes-panel')).toMatchObject({ Finished: 'not compared' });
    await beta.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-failed-only.png'), fullPage: true });
    await beta.done();
    const old = await open('/workspaces/old/dashboard');
    expect(await old.page.locator('#changes-panel, #stuck-panel').count()).toBe(0);
    expect(await old.page.locator('figure.chart').count()).toBe(4);
    await old.done();
  });
});
