/**
 * What `npm start` runs (functions/local): the embedded emulator, s3rver with data in a folder,
 * a first report, and the app on a port; then everything stops. Also with a "real" API
 * (DEEPSET_API_KEY set): here an emulator that demands that key.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import type { HttpLogger } from '../../functions/http/deps';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { startBanner } from '../../functions/local/start-banner';
import { runToEnd } from './run-to-end';

const dirs: string[] = [];
const quiet: HttpLogger = { info: () => {}, error: () => {} };

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'local-start-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function expectStopped(local: LocalServer): Promise<void> {
  await local.close();
  await expect(fetch(`${local.url}/healthz`)).rejects.toThrow();
  await expect(fetch(local.s3.endpoint)).rejects.toThrow();
}

describe('npm start', () => {
  it('serves the app over the embedded emulator and s3rver, with a first report, and stops cleanly', async () => {
    const dataDir = await tempDir();
    const local = await startLocalServer({ port: 0, dataDir, env: {}, logger: quiet });
    try {
      expect(local.api.embedded).toBe(true);
      expect(local.workspace).toBe('demo');
      const first = local.firstReport;
      if (!first || 'error' in first) throw new Error(`first report failed: ${JSON.stringify(first)}`);
      expect(first.summary.complete).toBe(true);
      expect(await readdir(join(dataDir, 's3'))).toContain('ingestion-reports');

      expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
      const dashboard = await (await fetch(`${local.url}/workspaces/demo/dashboard`)).text();
      expect(dashboard).toContain(first.summary.run_id);
      const csv = await fetch(`${local.url}/workspaces/demo/reports/latest/sessions.csv`);
      expect(csv.status).toBe(200);
      expect(csv.url.startsWith(local.s3.endpoint)).toBe(true);
      expect((await csv.text()).split('\r\n').length).toBe(first.summary.sessions.total + 2);

      const banner = startBanner(local, dataDir);
      for (const path of ['/workspaces/demo/dashboard', '/docs', '/workspaces/demo/reports']) {
        expect(banner).toContain(`${local.url}${path}`);
      }
      expect(banner).toContain(`first report   demo ${first.summary.run_id}`);
      expect(banner).not.toContain('embedded-emulator'); // the emulator's key is not printed either
    } finally {
      await expectStopped(local);
    }
  });

  it('uses the API at DEEPSET_API_URL with DEEPSET_API_KEY instead of the emulator', async () => {
    const api = await startEmulator({
      port: 0,
      sessions: 3,
      maxFiles: 20,
      workspace: 'acme',
      apiKey: 'real-key-1',
    });
    const env = { DEEPSET_API_URL: api.url, DEEPSET_API_KEY: 'real-key-1', DEEPSET_WORKSPACES: 'acme' };
    const local = await startLocalServer({ port: 0, dataDir: await tempDir(), env, logger: quiet });
    try {
      expect(local.api).toEqual({ url: api.url, embedded: false });
      expect(local.firstReport).toMatchObject({ summary: { workspace: 'acme', complete: true } });
      const overHttp = { request: (path: string, init?: RequestInit) => fetch(local.url + path, init) };
      expect((await runToEnd(overHttp, '/workspaces/acme/reports')).status).toBe('complete');
      expect(startBanner(local, '.data')).not.toContain('real-key-1');
    } finally {
      await expectStopped(local);
      await api.close();
    }
  });

  it('takes STUCK_AFTER_HOURS for its first report and for the runs it starts over HTTP', async () => {
    const env = { STUCK_AFTER_HOURS: '36' };
    const local = await startLocalServer({ port: 0, dataDir: await tempDir(), env, logger: quiet });
    try {
      const first = local.firstReport;
      if (!first || 'error' in first) throw new Error(`first report failed: ${JSON.stringify(first)}`);
      expect(first.summary.stuck?.after_hours).toBe(36);
      const started = await fetch(`${local.url}/workspaces/demo/reports`, { method: 'POST' });
      expect(started.status).toBe(202);
      const { run_id: runId } = (await started.json()) as { run_id: string };
      let body: { status: string; summary?: { stuck?: { after_hours: number }; changes?: unknown } };
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        body = await (await fetch(`${local.url}/workspaces/demo/reports/${runId}`)).json();
      } while (body.status === 'running');
      expect(body.status).toBe('complete');
      expect(body.summary?.stuck?.after_hours).toBe(36);
      // The HTTP run compares with the first report, which latest.json pointed at.
      expect(body.summary?.changes).toMatchObject({ previous_run_id: first.summary.run_id });
    } finally {
      await expectStopped(local);
    }
    await expect(
      startLocalServer({
        port: 0,
        dataDir: await tempDir(),
        env: { STUCK_AFTER_HOURS: 'soon' },
        logger: quiet,
      }),
    ).rejects.toThrow('invalid STUCK_AFTER_HOURS: must be a number of hours > 0');
  });

  it('refuses an API URL without a key, in one line naming the variable', async () => {
    await expect(
      startLocalServer({
        port: 0,
        dataDir: await tempDir(),
        env: { DEEPSET_API_URL: 'http://127.0.0.1:9/api/v1' },
        logger: quiet,
      }),
    ).rejects.toThrow('DEEPSET_API_KEY is not set');
  });
});
