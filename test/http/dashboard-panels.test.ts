/**
 * The dashboard's "Since the previous run" and "Stuck" panels and the home page's "Newly
 * failed" and "Stuck" columns show the numbers of the run folder, in each case a run can be in:
 * compared (over all files, or failed files only), no baseline, and a run written before these
 * numbers existed. The run folders are written through the report's own writers (./panel-runs)
 * into a folder store and into S3 (s3rver through the AWS SDK); the app reads them back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { createHttpApp } from '../../functions/http/app';
import type { HttpEnv } from '../../functions/http/env';
import type { ChangesSummary } from '../../lib/report/changes/counts';
import type { ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { S3Store } from '../../lib/store/s3-store';
import type { ReportStore } from '../../lib/store/store';
import { NO_BASELINE, PREVIOUS_RUN_ID, RUN_ID, writePanelScenario } from './panel-scenario';

interface Stack {
  store: ReportStore;
  close(): Promise<void>;
}

async function folderStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'panels-folder-'));
  return { store: new FolderStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
}

async function s3Stack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'panels-s3-'));
  const s3: LocalS3 = await startLocalS3({ directory: dir });
  return {
    store: new S3Store({ client: s3.client, bucket: s3.bucket, prefix: 'reports/' }),
    close: async () => {
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The inner HTML of the element whose opening tag has `id="<id>"` (up to its closing `</tag>`). */
function part(html: string, id: string): string | undefined {
  const open = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>`).exec(html);
  if (!open) return undefined;
  const start = open.index + open[0].length;
  return html.slice(start, html.indexOf(`</${open[1]}>`, start));
}

/** The `<dd>` under each `<dt>` of a panel's headline counts. */
function counts(panel: string): Record<string, string> {
  return Object.fromEntries(
    [...panel.matchAll(/<dt>([^<]*)<\/dt><dd[^>]*>([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]),
  );
}

/** A table's body rows, cells as text (tags inside a cell dropped). */
function rows(table: string): string[][] {
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')),
  );
}

describe.each([
  ['a folder store', folderStack],
  ['S3 (s3rver)', s3Stack],
])('the change and stuck panels over %s', (_name, start) => {
  let stack: Stack;
  let app: OpenAPIHono<HttpEnv>;
  let summaries: Record<string, ReportSummary>;
  const page = async (path: string) => {
    const response = await app.request(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    stack = await start();
    summaries = await writePanelScenario(stack.store);
    app = createHttpApp({
      store: stack.store,
      createClient: async () => {
        throw new Error('these pages read the store only');
      },
      logger: { info: () => {}, error: () => {} },
    });
  });
  afterAll(() => stack?.close());

  it('compared over all files: newly failed by reason, finished, added, removed, the baseline, the link', async () => {
    const html = await page('/workspaces/acme/dashboard');
    const panel = part(html, 'changes-panel')!;
    expect(panel).toContain('<h2 id="changes-title">Since the previous run</h2>');
    expect(panel).toContain(`Compared with run <code>${PREVIOUS_RUN_ID}</code>: all files.`);
    expect(counts(panel)).toEqual({ 'Newly failed': '5', Finished: '7', Added: '4', Removed: '2' });
    expect(rows(part(panel, 'newly-failed-table')!)).toEqual([
      ['EMPTY_FILE', '4'],
      ['VIRUS_DETECTED', '1'],
    ]);
    expect(rows(part(panel, 'transitions-table')!)).toEqual([
      ['FAILED', 'FINISHED', '2'],
      ['PENDING', 'FAILED', '4'],
      ['PENDING', 'FINISHED', '5'],
    ]);
    expect(panel).toContain('<summary>Status changes (11)</summary>');
    expect(panel).toContain(`<a href="reports/${RUN_ID}/changes.csv" download="">changes.csv</a>`);
    // The page's numbers are the summary's.
    const changes = summaries.acme!.changes as ChangesSummary;
    expect([changes.added, changes.removed, changes.status_changed]).toEqual([4, 2, 11]);
    expect(changes.newly_failed_by_reason.EMPTY_FILE).toBe(4);
  });

  it('compared over failed files only: says so plainly, and does not claim a number of finished files', async () => {
    const panel = part(await page('/workspaces/beta/dashboard'), 'changes-panel')!;
    expect(panel).toContain('<strong>failed files only</strong>');
    expect(counts(panel)).toEqual({
      'Newly failed': '2',
      Finished: 'not compared',
      Added: '2',
      Removed: '1',
    });
    expect(rows(part(panel, 'newly-failed-table')!)).toEqual([['FILE_NOT_FOUND', '2']]);
    expect(panel).not.toContain('transitions-table');
    expect(panel).toContain(`reports/${RUN_ID}/changes.csv`);
  });

  it('no baseline: the reason, and no link to a changes.csv that does not exist', async () => {
    const html = await page('/workspaces/gamma/dashboard');
    const panel = part(html, 'changes-panel')!;
    expect(panel).toContain(`No comparison for this run: ${NO_BASELINE}`);
    expect(html).not.toContain('changes.csv');
    expect((await app.request(`/workspaces/gamma/reports/${RUN_ID}/changes.csv`)).status).toBe(404);
  });

  it('a run from before comparisons and stuck counts: neither panel, the rest of the page as before', async () => {
    const html = await page('/workspaces/old/dashboard');
    expect(html).not.toContain('changes-panel');
    expect(html).not.toContain('stuck-panel');
    expect(html).not.toContain('changes.csv');
    expect(html).toContain('<figure id="sessions-chart"');
  });

  it('stuck: most pending first with age, creator and threshold; capped at 10 with the rest counted', async () => {
    const panel = part(await page('/workspaces/acme/dashboard'), 'stuck-panel')!;
    expect(counts(panel)).toEqual({
      'Stuck sessions': '13',
      'Pending files in them': '203',
      Threshold: '24 h',
    });
    expect(summaries.acme!.stuck).toEqual({ after_hours: 24, sessions: 13, pending_files: 203 });
    expect(panel).toContain('created more than 24 hours before the run');
    const shown = rows(part(panel, 'stuck-table')!);
    expect(shown.map((row) => Number(row[4]))).toEqual([40, 31, 27, 23, 18, 15, 12, 11, 9, 7]);
    expect(shown[0]).toEqual(['stuck-01', 'Ada Lovelace1', '2026-11-27 01:00 UTC', '3 d 1 h', '40']);
    // A name the CSV guarded against spreadsheet formulas, and one with accents, read as given.
    expect(shown[1]).toEqual(['stuck-05', 'Zoë Müller', '2026-11-27 13:00 UTC', '2 d 13 h', '31']);
    expect(shown.find((row) => row[0] === 'stuck-02')).toEqual([
      'stuck-02',
      '@Ops Bot',
      '2026-11-27 04:00 UTC',
      '2 d 22 h',
      '7',
    ]);
    expect(shown.map((row) => row[0])).not.toContain('fresh');
    expect(panel).toMatch(
      new RegExp(
        `and 3 more: the <code>stuck</code> column of <a href="reports/${RUN_ID}/sessions.csv" download="">`,
      ),
    );
  });

  it('stuck: no session stuck, one stuck session (no "more"), and a run without the stuck column', async () => {
    const beta = part(await page('/workspaces/beta/dashboard'), 'stuck-panel')!;
    expect(counts(beta)).toEqual({ 'Stuck sessions': '0', 'Pending files in them': '0', Threshold: '24 h' });
    expect(beta).toContain('No session is stuck.');
    const gamma = part(await page('/workspaces/gamma/dashboard'), 'stuck-panel')!;
    expect(counts(gamma)).toEqual({ 'Stuck sessions': '1', 'Pending files in them': '8', Threshold: '48 h' });
    expect(rows(part(gamma, 'stuck-table')!)).toEqual([
      ['g-1', 'Kay Ng', '2026-11-27 14:00 UTC', '2 d 12 h', '8'],
    ]);
    expect(gamma).not.toContain('more:');
  });

  it('the home page: newly failed and stuck per workspace, and what a run without them shows', async () => {
    const html = await page('/');
    const cell = (workspace: string, column: string) => {
      const row = new RegExp(`<tr data-workspace="${workspace}">(.*?)</tr>`).exec(html)?.[1] ?? '';
      return /<td class="n [^"]*">(.*?)<\/td>/g
        .exec(row.slice(row.indexOf(`class="n ${column}"`) - 8))?.[1]
        ?.replace(/<[^>]+>/g, '');
    };
    expect(html).toContain('<th class="n">Newly failed</th><th class="n">Stuck</th>');
    expect([cell('acme', 'newly-failed'), cell('acme', 'stuck')]).toEqual(['5', '203 files / 13 sessions']);
    expect([cell('beta', 'newly-failed'), cell('beta', 'stuck')]).toEqual(['2', '0 files / 0 sessions']);
    expect([cell('gamma', 'newly-failed'), cell('gamma', 'stuck')]).toEqual([
      'no comparison',
      '8 files / 1 session',
    ]);
    expect(html).toContain(`<span class="none" title="${NO_BASELINE}">no comparison</span>`);
    expect([cell('old', 'newly-failed'), cell('old', 'stuck')]).toEqual(['not recorded', 'not recorded']);
  });

  it('the JSON list carries the same numbers, and links changes.csv only where there is one', async () => {
    const response = await app.request('/workspaces');
    const { items } = (await response.json()) as {
      items: {
        workspace: string;
        since_previous: unknown;
        stuck: unknown;
        links: { files: Record<string, string> };
      }[];
    };
    const by = Object.fromEntries(items.map((item) => [item.workspace, item]));
    expect(by.acme!.since_previous).toEqual({ previous_run_id: PREVIOUS_RUN_ID, newly_failed: 5 });
    expect(by.acme!.stuck).toEqual({ after_hours: 24, sessions: 13, pending_files: 203 });
    expect(by.gamma!.since_previous).toEqual({ unavailable: NO_BASELINE });
    expect([by.old!.since_previous, by.old!.stuck]).toEqual([null, null]);
    expect(Object.keys(by.acme!.links.files)).toContain('changes.csv');
    expect(Object.keys(by.gamma!.links.files)).not.toContain('changes.csv');
  });
});
