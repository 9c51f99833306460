/**
 * Retrying transient failures: exponential backoff with full jitter (spreads a crowd of clients
 * that failed together), at least as long as the server's `Retry-After` asked for.
 */
import { RetriesExhaustedError, TransientError } from './errors';

/** How hard to try; see `ClientOptions` for the meaning and defaults. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  signal?: AbortSignal;
  /** Injectable for tests; `Math.random` otherwise. */
  random?: () => number;
}

/** What `onRetry` hears before each wait: `attempt` is the 1-based attempt that just failed. */
export interface RetryEvent {
  attempt: number;
  delayMs: number;
  /** Whether the server's `Retry-After` set the delay, or the backoff did. */
  delayFrom: 'retry-after' | 'backoff';
  error: TransientError;
}

/**
 * Full-jitter backoff: `random(0, min(maxDelay, base * 2^(attempt-1)))`, raised to the server's
 * `Retry-After` (capped by `maxRetryAfterMs`) when there was one.
 */
export function retryDelayMs(attempt: number, error: TransientError, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor((policy.random ?? Math.random)() * ceiling);
  if (error.retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(error.retryAfterMs, policy.maxRetryAfterMs));
}

function delayFrom(delayMs: number, error: TransientError, policy: RetryPolicy): RetryEvent['delayFrom'] {
  if (error.retryAfterMs === undefined) return 'backoff';
  return delayMs === Math.min(error.retryAfterMs, policy.maxRetryAfterMs) ? 'retry-after' : 'backoff';
}

/**
 * `Retry-After` as milliseconds: delta-seconds (`120`) or an HTTP date. Undefined when absent or
 * unreadable; never negative (a date in the past means "now").
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt(n)` until it succeeds, throws a non-transient error, or `maxAttempts` transient
 * failures pile up (then `RetriesExhaustedError` with the last one as `cause`). Waiting happens
 * here, outside `attempt`, so a request waiting to retry holds no concurrency slot.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      if (attemptNumber >= policy.maxAttempts) throw new RetriesExhaustedError(attemptNumber, error);
      const delayMs = retryDelayMs(attemptNumber, error, policy);
      onRetry?.({ attempt: attemptNumber, delayMs, delayFrom: delayFrom(delayMs, error, policy), error });
      await sleep(delayMs, policy.signal);
    }
  }
}
