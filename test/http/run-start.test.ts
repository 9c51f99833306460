/**
 * Starting a run over HTTP: 202 at once (a small fraction of the run's time), 409 with the
 * running run's link while it goes on, exactly one 202 of concurrent POSTs, the status going
 * running → complete or failed with progress that never goes backwards, the run list showing a
 * running run, `latest` still the latest complete run, and browser forms sent back (303).
 * The emulator answers over HTTP with latency; s3rver holds the runs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../functions/http/app';
import { inProcessLauncher } from '../../functions/http/run-launcher';
import { UploadSessionsClient } from '../../lib/api';
import { followRun, type RunStatusBody } from './run-to-end';
import { type HttpFixture, startHttpFixture, TEST_API_KEY } from './support';

let fx: HttpFixture;
let app: ReturnType<typeof createHttpApp>;
const logger = { info: () => {}, error: () => {} };

beforeAll(async () => {
  fx = await startHttpFixture({ emulator: { sessions: 10, maxFiles: 120 } });
  const createClient = async () =>
    new UploadSessionsClient({
      baseUrl: fx.emulator.url,
      apiKey: TEST_API_KEY,
      concurrency: 2,
      maxAttempts: 2,
      baseDelayMs: 1,
    });
  app = createHttpApp({
    store: fx.store,
    createClient,
    logger,
    runLauncher: inProcessLauncher(createClient, logger),
    runLease: { statusIntervalMs: 50 },
  });
});
afterEach(() => {
  fx.emulator.faults.latencyMs = 0;
  fx.emulator.faults.dropField = undefined;
  fx.emulator.faults.onRequest = undefined;
});
afterAll(() => fx?.close());

const post = (path = '/workspaces/demo/reports', headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers });

function expectMonotone(seen: RunStatusBody[]): void {
  for (let i = 1; i < seen.length; i++) {
    const [before, now] = [seen[i - 1]!.progress, seen[i]!.progress];
    for (const key of ['sessions_done', 'files_seen', 'requests'] as const) {
      expect(now[key], `${key} at poll ${i}`).toBeGreaterThanOrEqual(before[key]);
    }
  }
}

describe('POST /workspaces/{workspace}/reports', () => {
  it('answers 202 at once, 409 while the run goes on, and the status goes running → complete', async () => {
    // A run of a few seconds, so that "at once" stands out from the machine's own load.
    fx.emulator.faults.latencyMs = 150;
    const latestBefore = await app.request('/workspaces/demo/reports/latest');
    const startedAt = performance.now();
    const response = await post();
    const answerMs = performance.now() - startedAt;
    expect(response.status).toBe(202);
    const started = (await response.json()) as { run_id: string; status: string; links: { self: string } };
    expect(started).toEqual({
      run_id: expect.stringMatching(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/),
      status: 'running',
      links: { self: `http://localhost/workspaces/demo/reports/${started.run_id}` },
    });
    expect(response.headers.get('location')).toBe(started.links.self);

    const second = await post();
    expect(second.status).toBe(409);
    expect(second.headers.get('location')).toBe(started.links.self);
    expect(await second.json()).toEqual({
      error: {
        code: 'RUN_IN_PROGRESS',
        message: `a run of workspace "demo" is in progress: ${started.run_id}`,
      },
      run_id: started.run_id,
      links: { run: started.links.self },
    });
    const list = (await (await app.request('/workspaces/demo/reports')).json()) as {
      items: { run_id: string; status: string }[];
    };
    expect(list.items[0]).toMatchObject({ run_id: started.run_id, status: 'running' });
    const latestDuring = await app.request('/workspaces/demo/reports/latest');
    expect(latestDuring.status, '`latest` is the latest complete run').toBe(latestBefore.status);

    const { final, seen } = await followRun(app, started.links.self);
    const runMs = performance.now() - startedAt;
    expect(answerMs, `202 after ${Math.round(answerMs)} ms of a ${Math.round(runMs)} ms run`).toBeLessThan(
      runMs / 5,
    );
    expect(seen[0]!.status).toBe('running');
    expect(
      seen.some((s) => s.status === 'running' && s.progress.sessions_done > 0),
      'progress shown',
    ).toBe(true);
    expectMonotone(seen);
    expect(final).toMatchObject({ status: 'complete', progress: { sessions_done: 10, sessions_total: 10 } });
    expect(final.summary).toMatchObject({ run_id: started.run_id, complete: true });
    expect(Object.keys(final.links.files).sort()).toEqual([
      'failed_files.csv',
      'files.csv',
      'sessions.csv',
      'summary.json',
    ]);
    const latest = (await (await app.request('/workspaces/demo/reports/latest')).json()) as RunStatusBody;
    expect(latest.run_id).toBe(started.run_id);
  });

  it('gives exactly one 202 to two concurrent POSTs', async () => {
    fx.emulator.faults.latencyMs = 10;
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const [accepted, refused] = answers[0]!.status === 202 ? answers : [answers[1]!, answers[0]!];
    const started = (await accepted!.json()) as { run_id: string; links: { self: string } };
    expect(((await refused!.json()) as { run_id: string }).run_id).toBe(started.run_id);
    expect((await followRun(app, started.links.self)).final.status).toBe('complete');
  });

  it('goes running → failed with the error when the API drifts mid-run', async () => {
    let filesRequests = 0;
    fx.emulator.faults.onRequest = (request) => {
      if (request.endpoint === 'files' && ++filesRequests > 4) {
        fx.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
      }
    };
    const response = await post();
    expect(response.status).toBe(202);
    const { final, seen } = await followRun(app, response.headers.get('location')!);
    expectMonotone(seen);
    expect(final).toMatchObject({ status: 'failed', error: { code: 'INVALID_RESPONSE' } });
    expect(Object.keys(final.links.files)).toEqual(['summary.json']);
    fx.emulator.faults.onRequest = undefined;
    fx.emulator.faults.dropField = undefined;
    const next = await post();
    expect(next.status, 'the lease is free again').toBe(202);
    expect((await followRun(app, next.headers.get('location')!)).final.status).toBe('complete');
  });

  it('sends a browser form back to the dashboard (303), also while a run goes on', async () => {
    fx.emulator.faults.latencyMs = 20;
    const html = { Accept: 'text/html' };
    const first = await post('/workspaces/demo/reports', html);
    const second = await post('/workspaces/demo/reports', html);
    for (const answer of [first, second]) {
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe('/workspaces/demo/dashboard');
    }
    const list = (await (await app.request('/workspaces/demo/reports')).json()) as {
      items: { status: string; links: { self: string } }[];
    };
    expect(list.items[0]!.status).toBe('running');
    expect((await followRun(app, list.items[0]!.links.self)).final.status).toBe('complete');
  });
});
