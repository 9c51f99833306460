/**
 * The app on a real local HTTP server (@hono/node-server, port 0): run a report, read it, and
 * follow the download redirect to s3rver: the bytes that arrive are the bytes in the store.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from './run-to-end';
import { type HttpFixture, startHttpFixture, storeBytes } from './support';

let fx: HttpFixture;
let server: Server;
let base: string;

beforeAll(async () => {
  fx = await startHttpFixture();
  server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: fx.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    );
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await fx?.close();
});

type RunBody = {
  summary: { run_id: string; complete: boolean };
  links: { self: string; files: Record<string, { download: string; presigned: string }> };
};

describe('over a real local server', () => {
  let run: RunBody;

  beforeAll(async () => {
    const overHttp = { request: (path: string, init?: RequestInit) => fetch(base + path, init) };
    run = (await runToEnd(overHttp, '/workspaces/demo/reports')) as RunBody;
  });

  it('links back to this server', async () => {
    expect(run.links.self).toBe(`${base}/workspaces/demo/reports/${run.summary.run_id}`);
    const response = await fetch(run.links.self);
    expect(response.status).toBe(200);
    expect(((await response.json()) as RunBody).summary).toEqual(run.summary);
  });

  it.each(['sessions.csv', 'failed_files.csv', 'files.csv', 'summary.json'])(
    'downloads %s through the 302: the same bytes as in the store, as an attachment',
    async (file) => {
      const redirect = await fetch(run.links.files[file]!.download, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      const location = redirect.headers.get('location')!;
      const expires = Number(new URL(location).searchParams.get('X-Amz-Expires'));
      expect(expires).toBeGreaterThan(0);
      expect(expires).toBeLessThanOrEqual(900);
      const download = await fetch(location);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toMatch(
        file.endsWith('.csv') ? /^text\/csv/ : /^application\/json/,
      );
      expect(download.headers.get('content-disposition')).toContain(
        `attachment; filename="demo-${run.summary.run_id}-${file}"`,
      );
      const bytes = Buffer.from(await download.arrayBuffer());
      const prefix = `demo/${run.summary.run_id.slice(0, 4)}-${run.summary.run_id.slice(4, 6)}-${run.summary.run_id.slice(6, 8)}/${run.summary.run_id}/`;
      expect(bytes.equals(await storeBytes(fx.store, prefix + file))).toBe(true);
      expect(bytes.length).toBeGreaterThan(0);
    },
  );

  it('serves the presigned link of the JSON answer directly', async () => {
    const response = await fetch(run.links.files['sessions.csv']!.presigned);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('session_id,status,write_mode,created_at,expires_at,created_by')).toBe(true);
  });

  it('follows the redirect like a browser would, for `latest`', async () => {
    const response = await fetch(`${base}/workspaces/demo/reports/latest/failed_files.csv`);
    expect(response.status).toBe(200);
    expect(response.url.startsWith(fx.s3.endpoint)).toBe(true);
    expect((await response.text()).split('\r\n')[0]).toBe(
      'session_id,file_ingestion_id,name,ingestion_status,ingestion_status_reason',
    );
  });
});
