/**
 * A damaged summary.json (cut short, or JSON of the wrong shape) must not take the dashboard
 * down: like the run list, it skips that run, both as the run it shows and in the trend, and
 * says in the log which run it skipped. Real emulator, real s3rver; the damage is written
 * through the store, as a truncated upload or a hand edit would leave it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../lib/report/catalog';
import { runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture } from './support';

let fx: HttpFixture;
const runIds: string[] = [];

/** The first cells of the rows of a figure's fallback table (the trend's are run ids), in order. */
function tableRowHeads(page: string, figureId: string): string[] {
  const figure = page.slice(page.indexOf(`<figure id="${figureId}"`));
  const body = figure.slice(figure.indexOf('<tbody>'), figure.indexOf('</tbody>'));
  return [...body.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]!);
}

async function damageSummary(runId: string, body: string): Promise<void> {
  const run = await readRun(fx.store, 'demo', runId);
  await fx.store.write(`${run!.prefix}summary.json`, body, { contentType: 'application/json' });
}

/** The dashboard's page, and the run ids the log says it skipped while answering it. */
async function dashboard(): Promise<{ status: number; html: string; skipped: unknown[] }> {
  const response = await fx.app.request('/workspaces/demo/dashboard');
  const requestId = response.headers.get('x-request-id');
  const skipped = fx.logs
    .filter((entry) => entry.message === 'unreadable run skipped' && entry.fields.request_id === requestId)
    .map((entry) => entry.fields.run_id);
  return { status: response.status, html: await response.text(), skipped };
}

async function listedRunIds(): Promise<string[]> {
  const list = await fx.app.request('/workspaces/demo/reports?limit=100');
  return ((await list.json()) as { items: { run_id: string }[] }).items.map((item) => item.run_id);
}

beforeAll(async () => {
  fx = await startHttpFixture({ emulator: { sessions: 3, maxFiles: 20 } });
  for (let i = 0; i < 4; i++) {
    runIds.push((await runToEnd(fx.app, '/workspaces/demo/reports')).run_id);
  }
});
afterAll(() => fx?.close());

describe('a damaged summary.json', () => {
  it('in the trend: the page is still shown, the trend skips that run, the log names it', async () => {
    await damageSummary(runIds[1]!, '{"workspace": "demo", "run_id": 7');
    const { status, html, skipped } = await dashboard();
    expect(status).toBe(200);
    expect(html).toContain(`href="reports/${runIds[3]}/sessions.csv"`);
    expect(tableRowHeads(html, 'trend-chart')).toEqual([runIds[0], runIds[2], runIds[3]]);
    expect(skipped).toEqual([runIds[1]]);
    expect(await listedRunIds()).toEqual([runIds[3], runIds[2], runIds[0]]);
  });

  it('of the latest run: the page shows the newest readable complete run instead', async () => {
    await damageSummary(runIds[3]!, JSON.stringify({ workspace: 'demo', complete: 'yes' }));
    const { status, html, skipped } = await dashboard();
    expect(status).toBe(200);
    expect(html).toContain(runIds[2]);
    expect(html).toContain(`href="reports/${runIds[2]}/sessions.csv"`);
    expect(html).not.toContain(runIds[3]);
    expect(tableRowHeads(html, 'trend-chart')).toEqual([runIds[0], runIds[2]]);
    expect([...skipped].sort()).toEqual([runIds[1], runIds[3]]);
    expect(await listedRunIds()).toEqual([runIds[2], runIds[0]]);
  });

  it('in every run: the friendly page for a workspace with no report, not a 500', async () => {
    for (const runId of [runIds[0]!, runIds[2]!]) await damageSummary(runId, '');
    const { status, html, skipped } = await dashboard();
    expect(status).toBe(200);
    expect(html).toContain('No report for demo yet');
    expect([...skipped].sort()).toEqual([...runIds].sort());
  });
});
