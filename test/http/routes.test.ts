/**
 * Every route's happy path through app.request(), over the real emulator and a real s3rver:
 * run now, list (paged), one run and `latest`, download redirects, health, OpenAPI and docs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFiles } from '../../emulator/dataset';
import { ReportSummary } from '../../lib/report/summary';
import { type RunStatusBody, runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture } from './support';

let fx: HttpFixture;
type RunBody = {
  started_at: string;
  progress: RunStatusBody['progress'];
  summary: ReportSummary;
  links: {
    self: string;
    dashboard: string;
    files: Record<string, { download: string; presigned: string }>;
    presigned_expires_at: string;
  };
};
const runs: RunBody[] = [];

async function runNow(mode?: 'full' | 'summary'): Promise<RunBody> {
  const body = await runToEnd(fx.app, `/workspaces/demo/reports${mode ? `?mode=${mode}` : ''}`);
  expect(body.status).toBe('complete');
  return body as RunBody;
}

beforeAll(async () => {
  fx = await startHttpFixture();
  // Oldest first: full, summary, full (the newest complete run is the last).
  for (const mode of ['full', 'summary', undefined] as const) runs.push(await runNow(mode));
});
afterAll(() => fx?.close());

describe('POST /workspaces/{workspace}/reports', () => {
  it('runs a complete report whose counts are the dataset', () => {
    const sessions = fx.emulator.dataset.workspaces.get('demo')!;
    for (const { summary } of runs) {
      expect(ReportSummary.parse(summary)).toEqual(summary);
      expect(summary).toMatchObject({ workspace: 'demo', complete: true });
      expect(summary.sessions.total).toBe(sessions.length);
      expect(summary.files.total).toBe(countFiles(sessions));
    }
    expect(runs.map((r) => r.summary.mode)).toEqual(['full', 'summary', 'full']);
  });

  it('links each file: absolute API download URLs and presigned URLs of at most 15 minutes', () => {
    const { summary, links } = runs[0]!;
    const base = `http://localhost/workspaces/demo/reports/${summary.run_id}`;
    expect(links.self).toBe(base);
    expect(links.dashboard).toBe('http://localhost/workspaces/demo/dashboard');
    expect(Object.keys(links.files).sort()).toEqual([
      'failed_files.csv',
      'files.csv',
      'sessions.csv',
      'summary.json',
    ]);
    for (const [file, { download, presigned }] of Object.entries(links.files)) {
      expect(download).toBe(`${base}/${file}`);
      const url = new URL(presigned);
      expect(url.origin).toBe(fx.s3.endpoint);
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
      expect(url.searchParams.get('response-content-disposition')).toContain(
        `demo-${summary.run_id}-${file}`,
      );
    }
    const expires = Date.parse(links.presigned_expires_at) - Date.now();
    expect(expires).toBeGreaterThan(0);
    expect(expires).toBeLessThanOrEqual(900_000);
  });

  it('a summary-mode run has no files.csv', () => {
    expect(Object.keys(runs[1]!.links.files)).not.toContain('files.csv');
  });

  it('links changes.csv once there was a previous run to compare with', () => {
    expect(runs.map((run) => 'changes.csv' in run.links.files)).toEqual([false, true, true]);
  });
});

describe('GET /workspaces/{workspace}/reports', () => {
  it('lists runs newest first, a page at a time, with the cursor of the last run seen', async () => {
    const ids = runs.map((r) => r.summary.run_id).reverse();
    const first = await fx.app.request('/workspaces/demo/reports?limit=2');
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { items: { run_id: string }[]; next_cursor: string | null };
    expect(page1.items.map((item) => item.run_id)).toEqual(ids.slice(0, 2));
    expect(page1.next_cursor).toBe(ids[1]);
    const second = await fx.app.request(`/workspaces/demo/reports?limit=2&cursor=${page1.next_cursor}`);
    const page2 = (await second.json()) as typeof page1;
    expect(page2.items.map((item) => item.run_id)).toEqual(ids.slice(2));
    expect(page2.next_cursor).toBeNull();
  });

  it('gives each run its id, time, completeness, mode and file totals', async () => {
    const response = await fx.app.request('/workspaces/demo/reports');
    const { items } = (await response.json()) as { items: Record<string, unknown>[] };
    const newest = runs[2]!.summary;
    expect(items[0]).toEqual({
      run_id: newest.run_id,
      status: 'complete',
      started_at: runs[2]!.started_at,
      generated_at: newest.generated_at,
      complete: true,
      mode: 'full',
      sessions: newest.sessions.total,
      files: { total: newest.files.total, by_ingestion_status: newest.files.by_ingestion_status },
      progress: runs[2]!.progress,
      links: { self: `http://localhost/workspaces/demo/reports/${newest.run_id}` },
    });
  });

  it('is an empty list for a workspace with no runs', async () => {
    const response = await fx.app.request('/workspaces/other/reports');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ workspace: 'other', items: [], next_cursor: null });
  });
});

describe('GET /workspaces/{workspace}/reports/{run}', () => {
  it('returns a run by id, with its summary and links', async () => {
    const { summary, links } = runs[1]!;
    const response = await fx.app.request(`/workspaces/demo/reports/${summary.run_id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as RunBody;
    expect(body.summary).toEqual(summary);
    expect(Object.keys(body.links.files).sort()).toEqual(Object.keys(links.files).sort());
  });

  it('returns the newest complete run for `latest`', async () => {
    const response = await fx.app.request('/workspaces/demo/reports/latest');
    const body = (await response.json()) as RunBody;
    expect(body.summary.run_id).toBe(runs[2]!.summary.run_id);
  });
});

describe('GET /workspaces/{workspace}/reports/{run}/{file}', () => {
  it.each([
    ['sessions.csv', 'text/csv'],
    ['files.csv', 'text/csv'],
    ['failed_files.csv', 'text/csv'],
    ['changes.csv', 'text/csv'],
    ['summary.json', 'application/json'],
  ])('redirects %s to a short-lived presigned URL with an attachment name', async (file, type) => {
    const runId = runs[2]!.summary.run_id;
    const response = await fx.app.request(`/workspaces/demo/reports/latest/${file}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const url = new URL(response.headers.get('location')!);
    expect(url.origin).toBe(fx.s3.endpoint);
    expect(url.pathname).toBe(
      `/${fx.s3.bucket}/reports/demo/${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}/${runId}/${file}`,
    );
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
    expect(url.searchParams.get('response-content-disposition')).toMatch(
      new RegExp(`^attachment; filename="demo-${runId}-${file.replace('.', '\\.')}"`),
    );
    expect(url.searchParams.get('response-content-type')).toMatch(new RegExp(`^${type}`));
  });
});

describe('meta routes', () => {
  it('GET /healthz answers ok, with a request id', async () => {
    const response = await fx.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });

  it('GET /openapi.json describes every route from the zod definitions', async () => {
    const response = await fx.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/docs',
      '/healthz',
      '/openapi.json',
      '/workspaces',
      '/workspaces/{workspace}/dashboard',
      '/workspaces/{workspace}/reports',
      '/workspaces/{workspace}/reports/{run}',
      '/workspaces/{workspace}/reports/{run}/{file}',
    ]);
    expect(Object.keys(doc.paths['/workspaces/{workspace}/reports']!).sort()).toEqual(['get', 'post']);
    const download = doc.paths['/workspaces/{workspace}/reports/{run}/{file}']!.get!;
    expect(download.parameters!.map((p) => p.name)).toEqual(['workspace', 'run', 'file']);
    expect(download.parameters![0]!.schema).toMatchObject({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Error', 'ReportSummary', 'RunStatus', 'RunStarted', 'RunConflict', 'RunList']),
    );
    const post = doc.paths['/workspaces/{workspace}/reports']!.post! as unknown as { responses: object };
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '409']));
  });

  it('GET /docs renders the document as a self-contained page', async () => {
    const response = await fx.app.request('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    for (const path of [
      '/workspaces/{workspace}/reports/{run}/{file}',
      '/healthz',
      '/workspaces/{workspace}/dashboard',
    ]) {
      expect(html).toContain(path);
    }
    expect(html).toContain('RUN_NOT_FOUND');
    expect(html).not.toMatch(/<script|<link|\ssrc=/i);
  });

  it('answers 404 for changes.csv of a run that had no previous run, saying so', async () => {
    const runId = runs[0]!.summary.run_id;
    const response = await fx.app.request(`/workspaces/demo/reports/${runId}/changes.csv`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'FILE_NOT_FOUND',
        message: `run "${runId}" has no changes.csv (no previous run to compare with)`,
      },
    });
  });
});
