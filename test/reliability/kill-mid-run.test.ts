/**
 * `kill -9` of what `npm start` runs (the local server: s3rver, the HTTP app) in the middle of a
 * run: started again on the same data directory, the run reads failed with code ABANDONED once
 * its lease has expired (RUN_LEASE_SECONDS=2 here), latest.json never names it, and the next
 * run is fine. The server runs in a process of its own (test/load/server-process.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { followRun, type Requester, type RunStatusBody } from '../http/run-to-end';
import type { ServerMessage } from '../load/server-process';

const KEY = 'kill-mid-run-key-6b0e';
let emulator: RunningEmulator;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kill-mid-run-'));
  emulator = await startEmulator({ port: 0, seed: 2, sessions: 12, maxFiles: 200, apiKey: KEY });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts the local server on `dir`; resolves with its URL once it listens. */
async function startServer(): Promise<{ child: ChildProcess; http: Requester }> {
  const script = fileURLToPath(new URL('../load/server-process.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      LOAD_DATA_DIR: dir,
      DEEPSET_API_URL: emulator.url,
      DEEPSET_API_KEY: KEY,
      DEEPSET_WORKSPACES: 'demo',
      RUN_LEASE_SECONDS: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const ready = await new Promise<ServerMessage>((resolve) =>
    child.once('message', (m) => resolve(m as ServerMessage)),
  );
  if (ready.type !== 'ready') throw new Error(`the server did not start: ${JSON.stringify(ready)}`);
  return { child, http: { request: (path, init) => fetch(ready.url + path, init) } };
}

const statusOf = async (http: Requester, path: string) =>
  (await (await http.request(path)).json()) as RunStatusBody;

it('a run killed with the server reads ABANDONED after its lease expired; latest never names it; the next run is fine', async () => {
  const first = await startServer();
  const latestBefore = (await statusOf(first.http, '/workspaces/demo/reports/latest')).run_id;
  // Every API answer takes a second: the run is mid-walk when the server is killed.
  emulator.faults.latencyMs = 1000;
  const posted = await first.http.request('/workspaces/demo/reports', { method: 'POST' });
  expect(posted.status).toBe(202);
  const self = new URL(posted.headers.get('location')!).pathname;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await statusOf(first.http, self)).status).toBe('running');
  first.child.kill('SIGKILL');
  emulator.faults.latencyMs = 0;

  const second = await startServer();
  const { final } = await followRun(second.http, self, {}, 15_000);
  expect(final).toMatchObject({ status: 'failed', error: { code: 'ABANDONED' } });
  // latest.json never named the killed run (the restart published its own first report).
  const latestAfter = await statusOf(second.http, '/workspaces/demo/reports/latest');
  expect(latestAfter.status).toBe('complete');
  expect(latestAfter.run_id).not.toBe(final.run_id);
  expect(latestAfter.run_id > latestBefore).toBe(true);

  const next = await second.http.request('/workspaces/demo/reports', { method: 'POST' });
  expect(next.status).toBe(202);
  const { final: ran } = await followRun(second.http, next.headers.get('location')!);
  expect(ran.status).toBe('complete');
  expect((await statusOf(second.http, '/workspaces/demo/reports/latest')).run_id).toBe(ran.run_id);
  second.child.send('stop');
}, 90_000);
