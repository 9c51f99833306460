/**
 * A call's own AbortSignal (a run that failed cancels its other requests): aborting it drops
 * a request still queued for a slot, ends a retry wait at once, and aborts a fetch in flight,
 * always rejecting with the signal's reason and never sending anything afterwards.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { clientFor, rejectionOf, resetFaults, startTestEmulator, WORKSPACE } from './emulator-fixture';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => resetFaults(emulator));

/** Requests the emulator received since `before`. */
const sentSince = (before: number) => emulator.stats.requests - before;
afterAll(() => emulator.close());

const cancelled = () => new Error('the run failed elsewhere');
const settleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cancelling a call', () => {
  it('drops requests still queued for a slot: they are never sent', async () => {
    emulator.faults.latencyMs = 300;
    const client = clientFor(emulator, { concurrency: 1 });
    const before = emulator.stats.requests;
    const controller = new AbortController();
    const first = client.listSessions(WORKSPACE);
    const queued = client.listSessions(WORKSPACE, {}, { signal: controller.signal });
    await settleFor(50);
    const reason = cancelled();
    controller.abort(reason);
    expect(await rejectionOf(queued)).toBe(reason);
    await first;
    await settleFor(100);
    expect(sentSince(before)).toBe(1);
    expect(client.stats.inFlight).toBe(0);
  });

  it('ends a long Retry-After wait at once, and sends no retry', async () => {
    emulator.faults.script.push({ kind: 'rate-limit', retryAfter: '30' });
    const client = clientFor(emulator, { maxRetryAfterMs: 60_000 });
    const before = emulator.stats.requests;
    const controller = new AbortController();
    const request = client.listSessions(WORKSPACE, {}, { signal: controller.signal });
    await settleFor(150);
    const started = performance.now();
    const reason = cancelled();
    controller.abort(reason);
    expect(await rejectionOf(request)).toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
    await settleFor(100);
    expect(sentSince(before)).toBe(1);
  });

  it('aborts a fetch in flight', async () => {
    emulator.faults.latencyMs = 3_000;
    const client = clientFor(emulator);
    const controller = new AbortController();
    const request = client.listSessionFiles(WORKSPACE, 'any', {}, { signal: controller.signal });
    await settleFor(100);
    const started = performance.now();
    const reason = cancelled();
    controller.abort(reason);
    expect(await rejectionOf(request)).toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
    expect(client.stats.retries).toBe(0);
  });

  it('leaves other calls of the same client alone', async () => {
    const client = clientFor(emulator);
    const before = emulator.stats.requests;
    const controller = new AbortController();
    controller.abort(cancelled());
    const [aborted, fine] = await Promise.allSettled([
      client.listSessions(WORKSPACE, {}, { signal: controller.signal }),
      client.listSessions(WORKSPACE, { limit: 1 }),
    ]);
    expect(aborted.status).toBe('rejected');
    expect(fine.status === 'fulfilled' && fine.value.total).toBe(30);
    expect(sentSince(before)).toBe(1);
  });
});
