/**
 * Starting a run over HTTP and following it to its end, the way a client does: POST (202 and
 * a Location), then GET the status until it is no longer running.
 */
import { expect } from 'vitest';
import type { ReportSummary } from '../../lib/report/summary';

/** What GET /workspaces/{w}/reports/{run} answers (the fields the tests read). */
export interface RunStatusBody {
  run_id: string;
  status: 'running' | 'complete' | 'failed';
  started_at: string;
  progress: { sessions_done: number; sessions_total: number | null; files_seen: number; requests: number };
  summary?: ReportSummary;
  error?: { code: string; message: string };
  links: {
    self: string;
    dashboard: string;
    files: Record<string, { download: string; presigned: string }>;
    presigned_expires_at: string;
  };
}

/** Something that answers requests: a Hono app, or fetch against a server's origin. */
export type Requester = { request(path: string, init?: RequestInit): Response | Promise<Response> };

/** Polls the run at `self` (a URL or path) until it ended; returns every status seen. */
export async function followRun(app: Requester, self: string, init: RequestInit = {}, timeoutMs = 60_000) {
  const path = self.startsWith('http') ? new URL(self).pathname : self;
  const seen: RunStatusBody[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.request(path, { headers: init.headers });
    expect(response.status, `GET ${path}`).toBe(200);
    const body = (await response.json()) as RunStatusBody;
    seen.push(body);
    if (body.status !== 'running') return { final: body, seen };
    if (Date.now() > deadline) throw new Error(`run ${path} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** POSTs a run (expects 202 with Location = links.self) and follows it to its end. */
export async function runToEnd(app: Requester, path: string, init: RequestInit = {}): Promise<RunStatusBody> {
  const response = await app.request(path, { method: 'POST', ...init });
  expect(response.status, `POST ${path}`).toBe(202);
  const started = (await response.json()) as { run_id: string; status: string; links: { self: string } };
  expect(started.status).toBe('running');
  expect(response.headers.get('location')).toBe(started.links.self);
  return (await followRun(app, started.links.self, init)).final;
}
