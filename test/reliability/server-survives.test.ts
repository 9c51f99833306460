/**
 * What `npm start` runs (the local server: S3, a first report, the HTTP API on a socket) keeps
 * serving while report runs fail one after another against an API failing 62% of requests
 * with 503: each run answers 201 or a JSON 502, /healthz stays up, and no rejection goes
 * unhandled (one would take down the process, and with it S3 and the API).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { HttpLogger } from '../../functions/http/deps';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';

const KEY = 'server-survives-key-1c7a';
const ROUNDS = 2;
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
  it('answers every run with 201 or a JSON 502 and stays healthy', async () => {
    const statuses: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        Array.from({ length: RUNS_AT_ONCE }, () =>
          fetch(`${local.url}/workspaces/demo/reports`, { method: 'POST' }),
        ),
      );
      for (const answer of answers) {
        statuses.push(answer.status);
        const body = (await answer.json()) as { error?: { code: string; message: string } };
        if (answer.status === 502) {
          expect(body.error?.code).toMatch(/^API_(SERVER_ERROR|UNREACHABLE)$/);
          expect(body.error?.message).not.toMatch(/Unavailable|detail/);
        } else {
          expect(answer.status).toBe(201);
        }
      }
      expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
    }
    expect(unhandled).toEqual([]);
    expect(statuses.filter((status) => status === 502).length).toBeGreaterThan(0);
    expect(errorLogs.every((line) => /^API_(SERVER_ERROR|UNREACHABLE): /.test(line))).toBe(true);
  }, 120_000);
});
