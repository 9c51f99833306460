/**
 * Errors are JSON everywhere. 4xx say exactly what is wrong; 5xx say what kind of failure and
 * the request id, and never carry a stack, a file path or an upstream body (those go to the
 * log). Upstream trouble is driven by the emulator's own knobs over real HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/http/app';
import { resolveApiKey } from '../../functions/shared/api-key';
import { UploadSessionsClient } from '../../lib/api';
import { runToEnd } from './run-to-end';
import { errorOf, type HttpFixture, startHttpFixture, TEST_API_KEY } from './support';

/** Nothing a caller should ever see in a 5xx. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat \S+ \(|\.tsx?\b|\.js:\d|\/work\/|node_modules|<html|<h1|Temporarily|stack/i);
  expect(text).not.toContain(TEST_API_KEY);
}

async function expectGeneric5xx(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expectNoInternals(text);
  const { error } = JSON.parse(text) as { error: { code: string; message: string } };
  expect(error.code).toBe(code);
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  expect(error.message).toContain(`(request id ${requestId})`);
  return error;
}

describe('with the emulator behaving', () => {
  let fx: HttpFixture;
  beforeAll(async () => {
    fx = await startHttpFixture();
  });
  afterAll(() => fx?.close());
  afterEach(() => {
    fx.emulator.faults.script.length = 0;
    fx.emulator.faults.dropField = undefined;
  });

  it('fails an unknown workspace upstream with WORKSPACE_NOT_FOUND', async () => {
    const run = await runToEnd(fx.app, '/workspaces/nobody/reports');
    expect(run).toMatchObject({ status: 'failed' });
    expect(run.error).toEqual({ code: 'WORKSPACE_NOT_FOUND', message: 'workspace "nobody" was not found' });
  });

  it('fails with API_SERVER_ERROR when the API keeps failing, without its HTML body', async () => {
    fx.emulator.faults.script.push(
      ...Array.from({ length: 3 }, () => ({ kind: 'server-error' as const, status: 503, html: true })),
    );
    const run = await runToEnd(fx.app, '/workspaces/demo/reports');
    expectNoInternals(JSON.stringify(run));
    expect(run.error?.code).toBe('API_SERVER_ERROR');
    expect(run.error?.message).toBe(
      'the API kept failing with server errors after 3 attempts (last: HTTP 503 from GET /workspaces/{w}/upload_sessions)',
    );
    // The details, upstream body included, are in the log.
    const logged = await vi.waitFor(() => {
      const entry = fx.logs.find((e) => e.level === 'error' && e.fields.run_id === run.run_id);
      if (!entry) throw new Error('not logged yet');
      return entry;
    });
    const failure = logged!.fields.error as Error; // ReportFailedError
    expect(String((failure.cause as Error).message)).toContain('Service Temporarily Unavailable');
  });

  it('fails with INVALID_RESPONSE naming the field when the API drifts', async () => {
    fx.emulator.faults.dropField = { endpoint: 'sessions', field: 'session_id' };
    const run = await runToEnd(fx.app, '/workspaces/demo/reports');
    expect(run.error?.code).toBe('INVALID_RESPONSE');
    expect(run.error?.message).toContain('session_id');
    expect(run.error?.message).toContain('GET /workspaces/{w}/upload_sessions');
  });

  it('leaves latest.json alone and marks the failed run incomplete', async () => {
    const good = (await runToEnd(fx.app, '/workspaces/demo/reports')).run_id;
    fx.emulator.faults.script.push(...Array.from({ length: 3 }, () => ({ kind: 'server-error' as const })));
    const failedRun = (await runToEnd(fx.app, '/workspaces/demo/reports')).run_id;
    const latest = (await (await fx.app.request('/workspaces/demo/reports/latest')).json()) as {
      summary: { run_id: string };
    };
    expect(latest.summary.run_id).toBe(good);
    const run = (await (await fx.app.request(`/workspaces/demo/reports/${failedRun}`)).json()) as {
      summary: { complete: boolean; error: { code: string } };
      links: { files: Record<string, unknown> };
    };
    expect(run.summary).toMatchObject({ complete: false, error: { code: 'API_SERVER_ERROR' } });
    expect(Object.keys(run.links.files)).toEqual(['summary.json']);
    const download = await fx.app.request(`/workspaces/demo/reports/${failedRun}/sessions.csv`);
    expect(download.status).toBe(404);
    expect(await errorOf(download)).toEqual({
      code: 'FILE_NOT_FOUND',
      message: `run "${failedRun}" has no sessions.csv (the run is incomplete)`,
    });
  });

  it('answers 404 RUN_NOT_FOUND for a run that does not exist, and for `latest` with no run', async () => {
    const missing = await fx.app.request('/workspaces/demo/reports/20200101T000000000Z-000000');
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toEqual({
      code: 'RUN_NOT_FOUND',
      message: 'no run "20200101T000000000Z-000000" for workspace "demo"',
    });
    const none = await fx.app.request('/workspaces/empty/reports/latest/sessions.csv');
    expect(none.status).toBe(404);
    expect(await errorOf(none)).toEqual({
      code: 'RUN_NOT_FOUND',
      message: 'workspace "empty" has no complete run yet',
    });
  });

  it('answers 404 FILE_NOT_FOUND for files.csv of a summary-mode run', async () => {
    const runId = (await runToEnd(fx.app, '/workspaces/demo/reports?mode=summary')).run_id;
    const response = await fx.app.request(`/workspaces/demo/reports/${runId}/files.csv`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe(`run "${runId}" has no files.csv (mode summary)`);
  });

  it('answers a damaged summary.json with a generic 500, and the list skips that run', async () => {
    const runId = '20200102T000000000Z-abcdef';
    await fx.store.write(`demo/2020-01-02/${runId}/summary.json`, '{"workspace": "demo", "run_id": 7', {
      contentType: 'application/json',
    });
    const response = await fx.app.request(`/workspaces/demo/reports/${runId}`);
    await expectGeneric5xx(response, 500, 'INTERNAL');
    expect(
      fx.logs.some(
        (entry) =>
          entry.level === 'error' && entry.fields.request_id === response.headers.get('x-request-id'),
      ),
    ).toBe(true);
    const list = await fx.app.request('/workspaces/demo/reports?limit=100');
    expect(list.status).toBe(200);
    const ids = ((await list.json()) as { items: { run_id: string }[] }).items.map((item) => item.run_id);
    expect(ids).not.toContain(runId);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('answers a body over the cap with 413, with or without Content-Length', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    const withLength = await fx.app.request('/workspaces/demo/reports', { method: 'POST', body: big });
    expect(withLength.status).toBe(413);
    expect((await errorOf(withLength)).code).toBe('PAYLOAD_TOO_LARGE');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++)
          controller.enqueue(new TextEncoder().encode(big.slice(0, MAX_BODY_BYTES / 2)));
        controller.close();
      },
    });
    const chunked = await fx.app.request('/workspaces/demo/reports', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const small = await fx.app.request('/healthz', { method: 'GET' });
    expect(small.status).toBe(200);
  });

  it('answers unknown routes with 404 JSON and wrong methods with 405 JSON and Allow', async () => {
    const unknown = await fx.app.request('/workspaces/demo/nothing-here');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('NOT_FOUND');
    const wrong = await fx.app.request('/workspaces/demo/reports', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, GET, HEAD');
    expect((await errorOf(wrong)).code).toBe('METHOD_NOT_ALLOWED');
    const put = await fx.app.request('/healthz', { method: 'PUT' });
    expect(put.status).toBe(405);
  });
});

describe('with the API key rejected upstream', () => {
  let fx: HttpFixture;
  beforeAll(async () => {
    fx = await startHttpFixture({ emulator: { apiKey: 'the-right-key' } });
  });
  afterAll(() => fx?.close());

  it('fails with API_KEY_REJECTED: our credential failed, not the caller', async () => {
    const run = await runToEnd(fx.app, '/workspaces/demo/reports');
    expect(run.error).toEqual({ code: 'API_KEY_REJECTED', message: 'the API key was rejected (HTTP 403)' });
  });
});

describe('with no API key configured', () => {
  let fx: HttpFixture;
  beforeAll(async () => {
    fx = await startHttpFixture({
      createClient: async () =>
        new UploadSessionsClient({
          baseUrl: 'http://127.0.0.1:9/api/v1',
          apiKey: await resolveApiKey({ apiKey: undefined, apiKeySecretArn: undefined }),
        }),
    });
  });
  afterAll(() => fx?.close());

  it('answers a generic 500 with the request id; the cause is only in the log', async () => {
    const response = await fx.app.request('/workspaces/demo/reports', {
      method: 'POST',
      headers: { 'x-request-id': 'caller-chosen-id-1' },
    });
    const error = await expectGeneric5xx(response, 500, 'INTERNAL');
    expect(error.message).toBe('internal error (request id caller-chosen-id-1)');
    const logged = fx.logs.find((entry) => entry.level === 'error');
    expect(logged?.fields).toMatchObject({ request_id: 'caller-chosen-id-1', method: 'POST' });
    expect((logged!.fields.error as Error).name).toBe('ApiKeyUnavailableError');
  });
});
