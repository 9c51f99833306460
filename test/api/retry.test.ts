import { describe, expect, it } from 'vitest';
import { ApiError, RetriesExhaustedError, TransientError } from '../../lib/api/errors';
import { parseRetryAfter, type RetryPolicy, retryDelayMs, sleep, withRetries } from '../../lib/api/retry';

const input = { endpoint: 'GET /workspaces/{w}/upload_sessions', workspace: 'demo' };
const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const serverError = (retryAfterMs?: number) =>
  new TransientError(input, 'server-error', {
    status: 503,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, never negative', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('is full jitter under an exponential ceiling capped by maxDelayMs', () => {
    const top = { ...policy, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, serverError(), top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(retryDelayMs(3, serverError(), { ...policy, random: () => 0 })).toBe(0);
  });

  it('waits at least Retry-After, capped by maxRetryAfterMs', () => {
    const bottom = { ...policy, random: () => 0 };
    expect(retryDelayMs(1, serverError(1_500), bottom)).toBe(1_500);
    expect(retryDelayMs(1, serverError(60_000), bottom)).toBe(5_000);
    expect(retryDelayMs(4, serverError(10), { ...policy, random: () => 0.5 })).toBe(400);
  });
});

describe('withRetries', () => {
  it('retries transient failures, reporting each wait, then returns the result', async () => {
    const events: number[] = [];
    const result = await withRetries(
      async (n) => {
        if (n < 3) throw serverError();
        return `ok after ${n}`;
      },
      { ...policy, baseDelayMs: 1 },
      (event) => events.push(event.attempt),
    );
    expect(result).toBe('ok after 3');
    expect(events).toEqual([1, 2]);
  });

  it('gives up after maxAttempts with the last transient error as cause', async () => {
    let calls = 0;
    const failing = withRetries(
      async () => {
        calls++;
        throw serverError();
      },
      { ...policy, baseDelayMs: 1 },
    );
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(calls).toBe(4);
    expect((error as RetriesExhaustedError).attempts).toBe(4);
    expect((error as RetriesExhaustedError).cause).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(
      /upload_sessions still failing after 4 attempts.*503 server-error/,
    );
  });

  it('never retries other errors', async () => {
    let calls = 0;
    const failing = withRetries(async () => {
      calls++;
      throw new ApiError('nope', { endpoint: input.endpoint, status: 400 });
    }, policy);
    await expect(failing).rejects.toThrow('nope');
    expect(calls).toBe(1);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const failing = withRetries(
      async () => {
        throw serverError(10_000);
      },
      { ...policy, maxRetryAfterMs: 10_000, signal: controller.signal },
      () => setTimeout(() => controller.abort(new Error('cancelled')), 20),
    );
    await expect(failing).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('sleep', () => {
  it('rejects at once on an already aborted signal', async () => {
    await expect(sleep(10_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
