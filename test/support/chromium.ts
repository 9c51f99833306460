/**
 * Chromium for the page tests: Debian's /usr/bin/chromium driven by playwright-core. Without it
 * a page test is skipped locally (saying why) and fails in CI (CI=true), where .ci/run installs
 * it. Also a page opened with everything that could go wrong on it watched: console errors,
 * page errors, failed requests, and any request but the page itself (the strict CSP holds).
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';

/** Whether `what` must be skipped here (no Chromium, not CI); says so on the console when it must. */
export function skipWithoutChromium(what: string): boolean {
  const skip = !available && !inCi;
  if (skip) console.warn(`${what} skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return skip;
}

/** Headless Chromium that makes no requests of its own; throws in CI when it is not installed. */
export function launchChromium(): Promise<Browser> {
  if (!available) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens `url` in a fresh laptop-sized context that accepts downloads, and expects a 200 with no
 * console or page error, no failed request and no request but `url` itself.
 */
export async function openCleanPage(
  browser: Browser,
  url: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const requested: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('request', (request) => requested.push(request.url()));
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(problems).toEqual([]);
  expect(requested).toEqual([url]);
  return { context, page };
}
