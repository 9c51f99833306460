import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { clientFor, demoSessions, resetFaults, startTestEmulator, WORKSPACE } from './emulator-fixture';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
afterEach(() => resetFaults(emulator));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes every request that reaches the handlers take `ms`, counting how many overlap server-side. */
function measureServerConcurrency(ms: number): { readonly max: number } {
  const seen = { now: 0, max: 0 };
  emulator.faults.onRequest = async () => {
    seen.now++;
    seen.max = Math.max(seen.max, seen.now);
    await pause(ms);
    seen.now--;
  };
  return seen;
}

describe('concurrency', () => {
  it('never has more requests in flight than the limit, across all calls of a client', async () => {
    const server = measureServerConcurrency(15);
    const client = clientFor(emulator, { concurrency: 4 });
    const sessions = demoSessions(emulator);
    const calls = [
      ...sessions.map((s) => client.listSessionFiles(WORKSPACE, s.session_id, { limit: 5 })),
      ...sessions.map((_, i) => client.listSessions(WORKSPACE, { limit: 1, page_number: i + 1 })),
    ];
    const pages = await Promise.all(calls);
    expect(pages).toHaveLength(60);
    expect(client.stats).toMatchObject({ requests: 60, inFlight: 0, maxInFlight: 4, concurrencyLimit: 4 });
    // Server-side overlap depends on arrival timing; it can only be lower than the client's.
    expect(server.max).toBeGreaterThan(1);
    expect(server.max).toBeLessThanOrEqual(4);
  });

  it('uses 16 slots by default', async () => {
    const server = measureServerConcurrency(15);
    const client = clientFor(emulator);
    await Promise.all(demoSessions(emulator).map((s) => client.listSessionFiles(WORKSPACE, s.session_id)));
    expect(client.stats).toMatchObject({ maxInFlight: 16, concurrencyLimit: 16 });
    expect(server.max).toBeLessThanOrEqual(16);
  });

  it('frees the slot while a request waits to retry', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '0.3', endpoint: 'sessions' }];
    const client = clientFor(emulator, { concurrency: 1 });
    const finished: string[] = [];
    const throttled = client.listSessions(WORKSPACE).then(() => finished.push('throttled'));
    await pause(30); // the 429 is back and its retry is waiting
    const session = demoSessions(emulator)[0]!;
    await client.listSessionFiles(WORKSPACE, session.session_id).then(() => finished.push('other'));
    await throttled;
    expect(finished).toEqual(['other', 'throttled']);
  });
});

describe('adaptive limit', () => {
  it('halves on a 429 and recovers by one per window of successes, up to the maximum', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '0' }];
    const limitAtRetry: number[] = [];
    const client = clientFor(emulator, {
      concurrency: 8,
      onRetry: () => limitAtRetry.push(client.stats.concurrencyLimit),
    });
    await client.listSessions(WORKSPACE, { limit: 1 });
    expect(limitAtRetry).toEqual([4]);
    expect(client.stats).toMatchObject({ throttled: 1, concurrencyLimit: 4 });
    // 3 more successes complete the window of 4 -> 5; then 5, 6 and 7 more -> 8.
    const limits: number[] = [];
    for (let i = 0; i < 25; i++) {
      await client.listSessions(WORKSPACE, { limit: 1 });
      limits.push(client.stats.concurrencyLimit);
    }
    expect(limits.indexOf(5)).toBe(2);
    expect(limits.indexOf(8)).toBe(2 + 5 + 6 + 7);
    expect(Math.max(...limits)).toBe(8);
  });

  it('after a burst of 429s the client sends fewer requests at once, never below one', async () => {
    emulator.faults.script = Array.from({ length: 4 }, () => ({
      kind: 'rate-limit' as const,
      retryAfter: '0',
    }));
    const client = clientFor(emulator, { concurrency: 8 });
    await client.listSessions(WORKSPACE);
    expect(client.stats).toMatchObject({ throttled: 4, retries: 4 });
    // 8 -> 4 -> 2 -> 1 -> 1, then the success: one window at limit 1 -> 2.
    expect(client.stats.concurrencyLimit).toBe(2);
    const server = measureServerConcurrency(20);
    await Promise.all(Array.from({ length: 6 }, () => client.listSessions(WORKSPACE, { limit: 1 })));
    expect(server.max).toBeLessThanOrEqual(3);
    expect(client.stats.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('a gateway rate limit: the run completes and the limit comes down', async () => {
    // A burst of 8 tokens: the first 16 requests sent at once get 429s however slow the machine is.
    emulator.faults.maxRequestsPerSecond = 8;
    const client = clientFor(emulator, { concurrency: 16, maxRetryAfterMs: 100, maxAttempts: 40 });
    const pages = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        client.listSessions(WORKSPACE, { limit: 1, page_number: (i % 30) + 1 }),
      ),
    );
    expect(pages.every((page) => page.total === 30)).toBe(true);
    expect(client.stats.throttled).toBeGreaterThan(0);
    expect(client.stats.concurrencyLimit).toBeLessThan(16);
  });
});
