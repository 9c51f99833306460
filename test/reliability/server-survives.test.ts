/**
 * What `npm start` runs (the local server: S3, a first report, the HTTP API on a socket) keeps
 * serving while report runs fail one after another against an API failing 62% of requests
 * with 503: of runs started at once one answers 202 and the others 409, each run ends complete
 * or failed with a clean error, /healthz stays up, and no rejection goes unhandled (one would
 * take down the process, and with it S3 and the API).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { HttpLogger } from '../../functions/http/deps';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { followRun } from '../http/run-to-end';

const KEY = 'server-survives-key-1c7a';
const ROUNDS = 4;
const RUNS_AT_ONCE = 3;

let emulator: RunningEmulator;
let local: LocalServer;
let dir: string;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);
const errorLogs: string[] = [];
const logger: HttpLogger = { info: () => {}, error: (message) => errorLogs.push(message) };

beforeAll(async () => {
  process.on('unhandledRejection', recordUnhandled);
  dir = await mkdtemp(join(tmpdir(), 'server-survives-'));
  emulator = await startEmulator({ port: 0, seed: 1, sessions: 12, maxFiles: 1200, apiKey: KEY });
  local = await startLocalServer({
    port: 0,
    dataDir: dir,
    env: { DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: KEY },
    logger,
  });
  // Only now the API starts failing: the server itself must come up.
  emulator.faults.random = [{ fault: { kind: 'server-error', status: 503 }, probability: 0.62 }];
}, 60_000);
afterAll(async () => {
  process.off('unhandledRejection', recordUnhandled);
  await local?.close();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the local server under failing runs', () => {
  it('answers one 202 (and 409 to the others) per round; each run ends complete or failed; stays healthy', async () => {
    const outcomes: string[] = [];
    const overHttp = { request: (path: string, init?: RequestInit) => fetch(local.url + path, init) };
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        Array.from({ length: RUNS_AT_ONCE }, () =>
          fetch(`${local.url}/workspaces/demo/reports`, { method: 'POST' }),
        ),
      );
      const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as {
        run_id: string;
        links: { self?: string; run?: string };
        error?: { code: string };
      }[];
      expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409]);
      const started = bodies[answers.findIndex((answer) => answer.status === 202)]!;
      for (const body of bodies.filter((b) => b.error)) {
        expect(body).toMatchObject({ error: { code: 'RUN_IN_PROGRESS' }, run_id: started.run_id });
        expect(body.links.run).toBe(started.links.self);
      }
      const { final } = await followRun(overHttp, started.links.self!);
      outcomes.push(final.status);
      if (final.status === 'failed') {
        expect(final.error?.code).toMatch(/^API_(SERVER_ERROR|UNREACHABLE)$/);
        expect(final.error?.message).not.toMatch(/Unavailable|detail/);
      } else {
        expect(final.status).toBe('complete');
      }
      expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
    }
    expect(unhandled).toEqual([]);
    expect(outcomes.filter((status) => status === 'failed').length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(errorLogs).toHaveLength(outcomes.filter((o) => o === 'failed').length));
    expect(errorLogs.every((line) => line === 'report run failed')).toBe(true);
  }, 120_000);
});
