/**
 * The dashboard's HTML through app.request(): the four charts with titles and table fallbacks,
 * the right sessions in the per-session chart, the trend, CSV links, escaping of hostile names,
 * nothing loaded from outside, and a friendly page when there is no run yet.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touch } from '../../emulator/dataset';
import { runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture } from './support';

let fx: HttpFixture;
let html: string;
let response: Response;
const runIds: string[] = [];
const HOSTILE_GIVEN = '=HYPERLINK("http://evil")';
const HOSTILE_FAMILY = '<img src=x onerror=alert(1)>';

/** The session ids of a figure's fallback table, in order. */
function tableRowHeads(page: string, figureId: string): string[] {
  const figure = page.slice(page.indexOf(`<figure id="${figureId}"`));
  const body = figure.slice(figure.indexOf('<tbody>'), figure.indexOf('</tbody>'));
  return [...body.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  fx = await startHttpFixture();
  const sessions = fx.emulator.dataset.workspaces.get('demo')!;
  const failedOf = (s: (typeof sessions)[number]) =>
    s.files.filter((f) => f.ingestion_status === 'FAILED').length;
  const worst = [...sessions].sort((a, b) => failedOf(b) - failedOf(a))[0]!;
  worst.created_by = { ...worst.created_by, given_name: HOSTILE_GIVEN, family_name: HOSTILE_FAMILY };
  touch(fx.emulator.dataset);
  for (let i = 0; i < 3; i++) {
    runIds.push((await runToEnd(fx.app, '/workspaces/demo/reports')).run_id);
  }
  response = await fx.app.request('/workspaces/demo/dashboard');
  html = await response.text();
});
afterAll(() => fx?.close());

describe('the dashboard of a workspace with runs', () => {
  it('is a self-contained HTML page: one inline script allowed by its hash, nothing loaded from elsewhere', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=UTF-8/i);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'; connect-src 'self'`);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const withoutScript = html.replace(/<script>[\s\S]*?<\/script>/, '');
    expect(withoutScript).not.toMatch(
      /<(script|link|img|iframe|object|embed)\b|<[^>]+\s(src|srcset)=|url\(/i,
    );
    // No attribute points elsewhere (xmlns is the SVG namespace: a name, not a request).
    const external = [...html.matchAll(/\s([\w:-]+)="(?:https?:)?\/\/[^"]*"/g)].map((m) => m[0]);
    expect(external.filter((attribute) => !attribute.startsWith(' xmlns='))).toEqual([]);
  });

  it('has a header with the workspace, the latest run, its time, mode and totals', () => {
    expect(html).toContain('Ingestion report: demo');
    expect(html).toContain(runIds.at(-1)!);
    expect(html).toMatch(/<dt>Mode<\/dt><dd>full<\/dd>/);
    expect(html).toMatch(/<dt>Generated<\/dt><dd>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/dd>/);
    const files = fx.emulator.dataset.workspaces.get('demo')!.reduce((n, s) => n + s.files.length, 0);
    expect(html).toContain(
      `<span class="n">${files.toLocaleString('en-US')}</span><span class="k">Files</span>`,
    );
  });

  it('has the four charts, each an svg with a title, a caption and a table fallback', () => {
    for (const id of ['status-chart', 'reasons-chart', 'sessions-chart', 'trend-chart']) {
      const start = html.indexOf(`<figure id="${id}"`);
      expect(start, id).toBeGreaterThan(-1);
      const figure = html.slice(start, html.indexOf('</figure>', start));
      expect(figure).toContain(`aria-labelledby="${id}-caption"`);
      expect(figure).toMatch(/<figcaption id="[\w-]+-caption"><h2>[^<]+<\/h2>/);
      expect(figure).toMatch(/<svg role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"/);
      expect(figure).toMatch(/<title id="[\w-]+-title">[^<]+<\/title>/);
      expect(figure).toMatch(/<details><summary>Show as a table<\/summary><table>/);
    }
  });

  it('shows the ten sessions with the most failures, most first', () => {
    const sessions = fx.emulator.dataset.workspaces.get('demo')!;
    const expected = sessions
      .map((s) => ({
        id: s.session_id,
        failed: s.files.filter((f) => f.ingestion_status === 'FAILED').length,
      }))
      .filter((s) => s.failed > 0)
      .sort((a, b) => b.failed - a.failed || (a.id < b.id ? -1 : 1))
      .slice(0, 10)
      .map((s) => s.id);
    expect(tableRowHeads(html, 'sessions-chart')).toEqual(expected);
  });

  it('escapes hostile names, and shows them without the CSV formula guard', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://evil&quot;)');
    expect(html).not.toContain("'=HYPERLINK");
  });

  it('shows the trend over every complete run, oldest first', () => {
    expect(tableRowHeads(html, 'trend-chart')).toEqual(runIds);
  });

  it('lists every failure reason with failures, largest first', () => {
    const sessions = fx.emulator.dataset.workspaces.get('demo')!;
    const counts = new Map<string, number>();
    for (const file of sessions.flatMap((s) => s.files)) {
      if (file.ingestion_status === 'FAILED') {
        const reason = file.ingestion_status_reason ?? 'UNSPECIFIED';
        counts.set(reason, (counts.get(reason) ?? 0) + 1);
      }
    }
    const expected = [...counts]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([reason]) => reason);
    expect(tableRowHeads(html, 'reasons-chart')).toEqual(expected);
  });

  it('links the CSVs through the download route, relative to the page', () => {
    const runId = runIds.at(-1)!;
    for (const file of ['sessions.csv', 'failed_files.csv', 'files.csv', 'summary.json']) {
      expect(html).toContain(`href="reports/${runId}/${file}"`);
    }
  });
});

describe('the dashboard of a workspace with no complete run', () => {
  it('is a friendly 200 page, not an error', async () => {
    const empty = await fx.app.request('/workspaces/newcomer/dashboard');
    expect(empty.status).toBe(200);
    const page = await empty.text();
    expect(page).toContain('No report for newcomer yet');
    expect(page).toContain('POST /workspaces/newcomer/reports');
    expect(page.replace(/<script>[\s\S]*?<\/script>/, '')).not.toMatch(
      /<(script|link|img|iframe)\b|<[^>]+\ssrc=/i,
    );
  });
});
