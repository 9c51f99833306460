/**
 * The numbers the dashboard shows are the run's: every count and rate on the page (totals,
 * status donut and its table, failure reasons, the trend of three runs whose data changed in
 * between) is read back from the HTML and compared with the `summary.json` each run left in the
 * store. The emulator also sends statuses and reasons the docs do not list, which the page must
 * show too. Real parts throughout: the emulator over HTTP, s3rver, the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touch } from '../../emulator/dataset';
import { runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture } from './support';

interface Summary {
  run_id: string;
  generated_at: string;
  mode: string;
  api_requests: number;
  duration_ms: number;
  sessions: { total: number };
  files: {
    total: number;
    by_ingestion_status: Record<string, number>;
    failed_by_reason: Record<string, number>;
  };
}

let fx: HttpFixture;
let html: string;
/** Each run's summary.json as stored, oldest first. */
const summaries: Summary[] = [];

/** "12,345" as 12345; anything else is not a count and fails the test. */
function count(text: string): number {
  expect(text).toMatch(/^\d{1,3}(,\d{3})*$/);
  return Number(text.replaceAll(',', ''));
}

/** "14.8 %" is within rounding of part/whole; "0 %" only when there is no part. */
function expectShare(text: string, part: number, whole: number): void {
  if (part === 0 || whole === 0) return void expect(text).toBe('0 %');
  const match = /^(\d+\.\d) %$/.exec(text);
  expect(match, text).not.toBeNull();
  expect(Math.abs(Number(match![1]) - (part / whole) * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
}

/** The HTML of a chart's <figure>. */
function figure(id: string): string {
  const start = html.indexOf(`<figure id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</figure>', start));
}

/** A chart's fallback table, row by row, cells as the page shows them. */
function tableRows(id: string): string[][] {
  const part = figure(id);
  const body = part.slice(part.indexOf('<tbody>'), part.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((cell) => cell[1]!),
  );
}

/** The value of the totals card labelled `label`. */
function card(label: string): string {
  const match = new RegExp(`<span class="n">([^<]*)</span><span class="k">${label}</span>`).exec(html);
  expect(match, label).not.toBeNull();
  return match![1]!;
}

/** Fails three FINISHED files with a documented reason, so the next run's numbers differ. */
function failSomeFiles(): void {
  const files = fx.emulator.dataset.workspaces.get('demo')!.flatMap((s) => s.files);
  for (const file of files.filter((f) => f.ingestion_status === 'FINISHED').slice(0, 3)) {
    file.ingestion_status = 'FAILED';
    file.ingestion_status_reason = 'EMPTY_FILE';
  }
  touch(fx.emulator.dataset);
}

/** The stored summary.json of a run, found by listing the store (not through the app). */
async function storedSummary(runId: string): Promise<Summary> {
  const key = (await fx.store.list('demo/')).find((k) => k.endsWith(`/${runId}/summary.json`));
  const stored = key && (await fx.store.read(key));
  if (!stored) throw new Error(`no summary.json for ${runId} in the store`);
  return JSON.parse(stored.body) as Summary;
}

beforeAll(async () => {
  fx = await startHttpFixture({ emulator: { unknownEnums: true } });
  for (let run = 0; run < 3; run++) {
    if (run > 0) failSomeFiles();
    const { run_id } = await runToEnd(fx.app, '/workspaces/demo/reports');
    summaries.push(await storedSummary(run_id));
  }
  html = await (await fx.app.request('/workspaces/demo/dashboard')).text();
});
afterAll(() => fx?.close());

describe('the dashboard shows the numbers of summary.json', () => {
  const latest = () => summaries.at(-1)!;
  const status = (name: string) => latest().files.by_ingestion_status[name] ?? 0;

  it('in the header: the run, its mode, when it finished, how long it took and its API requests', () => {
    const { run_id, mode, generated_at, duration_ms, api_requests } = latest();
    expect(html).toContain(`<dt>Run</dt><dd>${run_id}</dd>`);
    expect(html).toContain(`<dt>Mode</dt><dd>${mode}</dd>`);
    expect(html).toContain(`<dt>Generated</dt><dd>${generated_at.slice(0, 16).replace('T', ' ')} UTC</dd>`);
    const took = /<dt>Took<\/dt><dd>(\d+\.\d) s, ([\d,]+) API requests<\/dd>/.exec(html);
    expect(took).not.toBeNull();
    expect(Math.abs(Number(took![1]) - duration_ms / 1000)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(count(took![2]!)).toBe(api_requests);
  });

  it('in the totals: sessions, files, finished, pending, failed and the failure rate', () => {
    expect(count(card('Sessions'))).toBe(latest().sessions.total);
    expect(count(card('Files'))).toBe(latest().files.total);
    expect(count(card('Finished'))).toBe(status('FINISHED'));
    expect(count(card('Pending'))).toBe(status('PENDING'));
    expect(count(card('Failed'))).toBe(status('FAILED'));
    expectShare(card('Failure rate'), status('FAILED'), latest().files.total);
  });

  it('in the status chart: every status (an undocumented one too), its files and its share', () => {
    const byStatus = latest().files.by_ingestion_status;
    expect(Object.keys(byStatus)).toContain('QUEUED');
    const rows = tableRows('status-chart');
    expect(rows.map(([name]) => name)).toEqual(Object.keys(byStatus));
    for (const [name, files, share] of rows) {
      expect(count(files!), name).toBe(byStatus[name!]);
      expectShare(share!, byStatus[name!]!, latest().files.total);
    }
    const part = figure('status-chart');
    expect(part).toContain(`<p>${card('Files')} files in ${card('Sessions')} sessions.</p>`);
    expect(count(/<text[^>]*class="big">([^<]*)<\/text>/.exec(part)![1]!)).toBe(latest().files.total);
    const legend = [...part.matchAll(/<text x="250"[^>]*class="value">([\d,]+) · ([^<]+)<\/text>/g)];
    expect(legend.map((m) => count(m[1]!))).toEqual(Object.values(byStatus));
  });

  it('in the reasons chart: each reason with failures, its failed files and its share of failures', () => {
    const reasons = Object.entries(latest().files.failed_by_reason).filter(([, n]) => n > 0);
    expect(reasons.map(([reason]) => reason)).toContain('VIRUS_DETECTED');
    const rows = tableRows('reasons-chart');
    expect(rows.map(([reason]) => reason).sort()).toEqual(reasons.map(([reason]) => reason).sort());
    for (const [reason, files, share] of rows) {
      expect(count(files!), reason).toBe(latest().files.failed_by_reason[reason!]);
      expectShare(share!, latest().files.failed_by_reason[reason!]!, status('FAILED'));
    }
    expect(figure('reasons-chart')).toContain(`<p>${card('Failed')} failed files.</p>`);
  });

  it('in the trend: each run’s files, failed files and failure rate, oldest first', () => {
    const rows = tableRows('trend-chart');
    expect(rows.map(([runId]) => runId)).toEqual(summaries.map((s) => s.run_id));
    // The runs differ (files failed between them), so a row showing another run's numbers shows.
    expect(new Set(summaries.map((s) => s.files.by_ingestion_status.FAILED)).size).toBe(3);
    for (const [index, [runId, , files, failed, rate]] of rows.entries()) {
      const summary = summaries[index]!;
      const failedFiles = summary.files.by_ingestion_status.FAILED ?? 0;
      expect(count(files!), runId).toBe(summary.files.total);
      expect(count(failed!), runId).toBe(failedFiles);
      expectShare(rate!, failedFiles, summary.files.total);
    }
  });
});
