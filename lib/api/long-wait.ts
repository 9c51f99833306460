/**
 * Retry waits long enough that a person watching should be told (a `Retry-After` of up to a
 * minute, several times in a row, looks exactly like a hang). The client records the latest
 * one in its stats; the CLI shows it on the progress line, or as a line of its own off a TTY.
 */
import type { TransientError } from './errors';
import type { RetryEvent } from './retry';

/** Waits longer than this are announced. */
export const LONG_WAIT_MS = 5_000;

export interface LongWait {
  /** What went wrong, e.g. `rate limited (429)`. */
  cause: string;
  delayMs: number;
  /** Whether the server's `Retry-After` set the wait, or our own backoff did. */
  delayFrom: RetryEvent['delayFrom'];
  /** When the wait ends (epoch milliseconds). */
  endsAt: number;
}

/** The long wait a retry event starts, or undefined for a short one. */
export function longWaitOf(event: RetryEvent, now: number = Date.now()): LongWait | undefined {
  if (event.delayMs <= LONG_WAIT_MS) return undefined;
  return {
    cause: causeOf(event.error),
    delayMs: event.delayMs,
    delayFrom: event.delayFrom,
    endsAt: now + event.delayMs,
  };
}

/** `rate limited (429): waiting 60 s (Retry-After)`, counting the seconds left at `now`. */
export function describeWait(wait: LongWait, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.ceil((wait.endsAt - now) / 1000));
  const from = wait.delayFrom === 'retry-after' ? 'Retry-After' : 'backoff';
  return `${wait.cause}: waiting ${seconds} s (${from})`;
}

function causeOf(error: TransientError): string {
  switch (error.reason) {
    case 'rate-limited':
      return `rate limited (${error.status ?? 429})`;
    case 'server-error':
      return `server error (${error.status ?? '5xx'})`;
    case 'timeout':
      return 'timed out';
    case 'network':
      return 'connection failed';
    case 'unparseable-body':
      return 'invalid response';
  }
}
