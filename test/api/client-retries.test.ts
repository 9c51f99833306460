import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../emulator/faults';
import type { RunningEmulator } from '../../emulator/server';
import { RetriesExhaustedError, type TransientError } from '../../lib/api';
import {
  clientFor,
  collect,
  demoSessions,
  largestSession,
  rejectionOf,
  resetFaults,
  startTestEmulator,
  WORKSPACE,
} from './emulator-fixture';

type RetryEvent = { endpoint: string; attempt: number; delayMs: number; error: TransientError };

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
afterEach(() => resetFaults(emulator));

/** A client that records its retries, for one scripted run. */
function recordingClient(options: Parameters<typeof clientFor>[1] = {}) {
  const events: RetryEvent[] = [];
  const client = clientFor(emulator, { ...options, onRetry: (event) => events.push(event) });
  return { client, events };
}

describe('each transient fault is retried, then the request succeeds', () => {
  const cases: { fault: Fault; reason: TransientError['reason']; status?: number; timeoutMs?: number }[] = [
    { fault: { kind: 'server-error', status: 502, html: true }, reason: 'server-error', status: 502 },
    { fault: { kind: 'server-error', status: 503 }, reason: 'server-error', status: 503 },
    { fault: { kind: 'rate-limit', retryAfter: '0' }, reason: 'rate-limited', status: 429 },
    { fault: { kind: 'reset' }, reason: 'network' },
    { fault: { kind: 'hang' }, reason: 'timeout', timeoutMs: 250 },
    { fault: { kind: 'truncate' }, reason: 'unparseable-body' },
    { fault: { kind: 'invalid-json' }, reason: 'unparseable-body' },
  ];

  it.each(cases)('$fault.kind $fault.status -> $reason', async ({ fault, reason, status, timeoutMs }) => {
    const session = largestSession(emulator);
    emulator.faults.script = [{ ...fault, endpoint: 'files' }];
    const { client, events } = recordingClient(timeoutMs ? { timeoutMs } : {});
    const before = emulator.stats.filesRequests;
    // A one-entry page keeps the real answer far below even the 200 ms timeout of the hang case.
    const page = await client.listSessionFiles(WORKSPACE, session.session_id, { limit: 1 });
    expect(page.total).toBe(1200);
    expect(emulator.stats.filesRequests - before).toBe(2);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, inFlight: 0 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      endpoint: 'GET /workspaces/{w}/upload_sessions/{id}/files',
      attempt: 1,
    });
    expect(events[0]!.error).toMatchObject({ name: 'TransientError', reason, status });
  });

  it('a 5xx HTML page shows up only as a short, clean snippet', async () => {
    emulator.faults.script = [{ kind: 'server-error', status: 504, html: true }];
    const { client, events } = recordingClient();
    await client.listSessions(WORKSPACE);
    expect(events[0]!.error.message).toBe(
      'GET /workspaces/{w}/upload_sessions failed (504 server-error) for workspace "demo": 504 Gateway Time-out',
    );
  });

  it('a paged walk survives a mix of faults in one run', async () => {
    emulator.faults.script = (['reset', 'truncate', 'invalid-json', 'server-error', 'reset'] as const).map(
      (kind) => ({ kind }),
    );
    const { client, events } = recordingClient();
    const files = await collect(client.sessionFiles(WORKSPACE, largestSession(emulator).session_id));
    expect(files).toHaveLength(1200);
    expect(new Set(files.map((f) => f.file_ingestion_id)).size).toBe(1200);
    expect(client.stats.retries).toBe(5);
    expect(events.map((e) => e.error.reason)).toEqual([
      'network',
      'unparseable-body',
      'unparseable-body',
      'server-error',
      'network',
    ]);
  });

  it('a whole workspace adds up under 20% random faults', async () => {
    emulator.faults.random = [
      { fault: { kind: 'server-error', html: true }, probability: 0.1 },
      { fault: { kind: 'reset' }, probability: 0.05 },
      { fault: { kind: 'truncate' }, probability: 0.05 },
    ];
    const { client } = recordingClient({ maxAttempts: 10 });
    const before = emulator.stats.requests;
    const sessions = await collect(client.sessions(WORKSPACE));
    const counts = await Promise.all(
      sessions.map(async (s) => (await collect(client.sessionFiles(WORKSPACE, s.session_id))).length),
    );
    const expected = demoSessions(emulator).reduce((sum, s) => sum + s.files.length, 0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(expected);
    expect(client.stats.retries).toBeGreaterThan(0);
    expect(client.stats.requests).toBe(emulator.stats.requests - before);
  });
});

describe('Retry-After', () => {
  it('in seconds is honoured', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '1' }];
    const { client, events } = recordingClient();
    const started = performance.now();
    await client.listSessions(WORKSPACE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(events[0]).toMatchObject({ delayMs: 1_000 });
    expect(events[0]!.error).toMatchObject({ reason: 'rate-limited', status: 429, retryAfterMs: 1_000 });
    expect(client.stats).toMatchObject({ retries: 1, throttled: 1 });
  });

  it('as an HTTP date is honoured, capped by maxRetryAfterMs', async () => {
    const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: inTwoSeconds, html: true }];
    const { client, events } = recordingClient({ maxRetryAfterMs: 300 });
    const started = performance.now();
    await client.listSessions(WORKSPACE);
    // Without the date the wait would be the jitter (< 20 ms); with it, the 300 ms cap.
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(events[0]!.delayMs).toBe(300);
    expect(events[0]!.error.retryAfterMs).toBeGreaterThan(900);
  });
});

describe('giving up', () => {
  it('throws RetriesExhaustedError after maxAttempts, with the last failure as cause', async () => {
    emulator.faults.script = [
      { kind: 'reset' },
      { kind: 'server-error', status: 500 },
      { kind: 'server-error', status: 503, html: true },
    ];
    const { client, events } = recordingClient({ maxAttempts: 3 });
    const before = emulator.stats.requests;
    const error = await rejectionOf(client.listSessions(WORKSPACE));
    expect(emulator.stats.requests - before).toBe(3);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    const exhausted = error as RetriesExhaustedError;
    expect(exhausted.attempts).toBe(3);
    expect(exhausted.cause).toMatchObject({ name: 'TransientError', reason: 'server-error', status: 503 });
    expect(exhausted.message).toBe(
      'GET /workspaces/{w}/upload_sessions still failing after 3 attempts; last error: ' +
        'GET /workspaces/{w}/upload_sessions failed (503 server-error) for workspace "demo": 503 Service Temporarily Unavailable',
    );
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);
    expect(client.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it('a hung server exhausts attempts by timeout', async () => {
    emulator.faults.script = [{ kind: 'hang' }, { kind: 'hang' }];
    const { client } = recordingClient({ maxAttempts: 2, timeoutMs: 150 });
    const started = performance.now();
    const error = await rejectionOf(client.listSessions(WORKSPACE));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((error as RetriesExhaustedError).cause).toMatchObject({ reason: 'timeout' });
  });
});

describe('cancellation', () => {
  it('the signal stops a retry wait at once, and nothing is sent afterwards', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '30' }];
    const controller = new AbortController();
    const client = clientFor(emulator, {
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(new Error('run cancelled')), 20),
    });
    const before = emulator.stats.requests;
    const started = performance.now();
    const error = await rejectionOf(client.listSessions(WORKSPACE));
    expect(error.message).toBe('run cancelled');
    expect(performance.now() - started).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.stats.requests - before).toBe(1);
  });

  it('the signal cancels a request in flight, without a retry', async () => {
    emulator.faults.script = [{ kind: 'hang' }];
    const controller = new AbortController();
    const client = clientFor(emulator, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop now')), 50);
    const error = await rejectionOf(client.listSessions(WORKSPACE));
    expect(error.message).toBe('stop now');
    expect(client.stats).toMatchObject({ requests: 1, retries: 0, inFlight: 0 });
  });
});
