/**
 * A run that fails must fail alone: no unhandled rejection (which takes down the whole process,
 * e.g. the local server with its S3 and emulator), an incomplete summary.json in its folder,
 * and no request sent for it once its promise has rejected (queued requests dropped, retry
 * waits cut short, fetches aborted). Real HTTP to the emulator, real folders.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EmulatorRequest } from '../../emulator/faults';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type ClientOptions, UploadSessionsClient } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportMode, ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { largestSession } from '../api/emulator-fixture';
import { FAST_CLIENT, resetFaults } from './report-fixture';

/** Long enough for a request sent after the run's end to be counted, even on a busy machine. */
const QUIET_MS = 400;
const dirs: string[] = [];

let emulator: RunningEmulator;
const unhandled: unknown[] = [];
const recordUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  // 30 sessions, the largest of 1200 files (12 pages): every session is read ahead at once.
  emulator = await startEmulator({ port: 0, seed: 7, sessions: 30, maxFiles: 1200 });
  process.on('unhandledRejection', recordUnhandled);
});
afterEach(() => {
  resetFaults(emulator);
  vi.restoreAllMocks();
});

/** The emulator logs what its test hook throws; here that is the point, not news. */
const quietEmulatorErrors = () => vi.spyOn(console, 'error').mockImplementation(() => {});
afterAll(async () => {
  process.off('unhandledRejection', recordUnhandled);
  await emulator.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Run {
  summary?: ReportSummary;
  error?: unknown;
  durationMs: number;
  /** Requests the client had sent when the run's promise settled, and QUIET_MS later. */
  sentAtEnd: number;
  sentLater: number;
  /** Requests of this run that reached the emulator, counted QUIET_MS after it settled. */
  arrived: number;
  dir: string;
}

/** One report into a fresh folder; waits QUIET_MS after it settles, counting requests. */
async function runAndWait(options: { mode?: ReportMode; client: Partial<ClientOptions> }): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'failing-run-'));
  dirs.push(dir);
  const client = new UploadSessionsClient({
    baseUrl: emulator.url,
    apiKey: 'k',
    ...FAST_CLIENT,
    ...options.client,
  });
  const arrivedBefore = emulator.stats.requests;
  const started = performance.now();
  const outcome = await runReport({
    client,
    workspace: 'demo',
    mode: options.mode ?? 'full',
    runId: newRunId(),
    target: { store: new FolderStore(dir), prefix: '' },
  }).then(
    (summary) => ({ summary }),
    (error: unknown) => ({ error }),
  );
  const durationMs = performance.now() - started;
  const sentAtEnd = client.stats.requests;
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  const arrived = emulator.stats.requests - arrivedBefore;
  return { ...outcome, durationMs, sentAtEnd, sentLater: client.stats.requests, arrived, dir };
}

/** Nothing was sent once the run had ended, and nothing arrived that had not been sent by then. */
function expectNothingSentAfterTheEnd(run: Run): void {
  expect(run.sentLater, 'requests sent after the run ended').toBe(run.sentAtEnd);
  expect(run.arrived).toBeLessThanOrEqual(run.sentAtEnd);
}

async function expectFailedRun(run: Run): Promise<void> {
  expect(run.error).toBeInstanceOf(ReportFailedError);
  expect(await readdir(run.dir)).toEqual(['summary.json']);
  const summary = JSON.parse(await readFile(join(run.dir, 'summary.json'), 'utf8'));
  expect(summary.complete).toBe(false);
  expect(summary.error.code).toBe((run.error as ReportFailedError).failure.code);
}

describe('a failing run', () => {
  it('survives a later page failing while an earlier page of the same session is pending', async () => {
    quietEmulatorErrors();
    const big = largestSession(emulator).session_id;
    let releasePage2: () => void = () => {};
    const page2Held = new Promise<void>((resolve) => {
      releasePage2 = resolve;
    });
    emulator.faults.latencyMs = 5;
    emulator.faults.onRequest = async (request: EmulatorRequest) => {
      if (request.sessionId !== big) return;
      // Page 2 waits until page 3 has failed for good; page 3 always answers 500.
      if (request.query.page_number === '2') await page2Held;
      if (request.query.page_number === '3') {
        setTimeout(releasePage2, 300);
        throw new Error('page 3 is broken');
      }
    };
    const run = await runAndWait({ client: { maxAttempts: 2, concurrency: 8 } });

    expect(unhandled).toEqual([]);
    await expectFailedRun(run);
    expect((run.error as ReportFailedError).failure.message).toMatch(/HTTP 500/);
    expectNothingSentAfterTheEnd(run);
  });

  it('fails fast: the run ends soon after its first fatal error, not after the pages ahead of it', async () => {
    quietEmulatorErrors();
    const big = largestSession(emulator).session_id;
    emulator.faults.onRequest = async (request: EmulatorRequest) => {
      if (request.sessionId !== big) return;
      if (request.query.page_number === '2') await new Promise((resolve) => setTimeout(resolve, 3_000));
      if (request.query.page_number === '3') throw new Error('page 3 is broken');
    };
    const run = await runAndWait({ client: { maxAttempts: 2, timeoutMs: 10_000 } });

    expect(unhandled).toEqual([]);
    await expectFailedRun(run);
    // Page 2 would answer after 3 s; the run does not wait for it.
    expect(run.durationMs).toBeLessThan(2_500);
  });

  it('survives many runs against an API failing 62% of requests with 503, sending nothing after each ends', async () => {
    emulator.faults.random = [{ fault: { kind: 'server-error', status: 503 }, probability: 0.62 }];
    emulator.faults.latencyMs = 2;
    let failed = 0;
    for (let round = 0; round < 8; round++) {
      const run = await runAndWait({
        mode: round % 2 === 0 ? 'full' : 'summary',
        client: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, concurrency: 16 },
      });
      expectNothingSentAfterTheEnd(run);
      if (run.error) {
        failed++;
        await expectFailedRun(run);
      } else {
        expect(run.summary?.complete).toBe(true);
      }
    }
    expect(unhandled).toEqual([]);
    expect(failed).toBeGreaterThan(0);
  });
});
