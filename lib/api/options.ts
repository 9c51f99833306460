/**
 * `ClientOptions`: what a client is built from, checked once at construction so that a bad
 * number fails early with the option's name (and a bad key fails without echoing it).
 */
import { z } from 'zod';
import type { RetryEvent } from './retry';
import { describeIssues } from './schemas';

/** How to reach the API and how hard to push it. */
export interface ClientOptions {
  /** Includes `/api/v1`, e.g. `https://api.cloud.deepset.ai/api/v1` (a trailing slash is tolerated). */
  baseUrl: string;
  /** Bearer key. Never appears in logs, errors, messages, or the client's string/JSON forms. */
  apiKey: string;
  /** Max requests in flight for the whole client (a run); default 16. */
  concurrency?: number;
  /** Per attempt, covering headers and body; default 30 000. */
  timeoutMs?: number;
  /** Total attempts per request including the first; default 6. */
  maxAttempts?: number;
  /** Backoff base; default 250. */
  baseDelayMs?: number;
  /** Backoff cap; default 20 000. */
  maxDelayMs?: number;
  /** Cap on an honoured `Retry-After`; default 60 000. */
  maxRetryAfterMs?: number;
  /** Cancels everything, including waits; an abort is never retried. */
  signal?: AbortSignal;
  /** Told before each retry wait; `attempt` is the 1-based attempt that just failed. */
  onRetry?: (event: RetryEvent & { endpoint: string }) => void;
}

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

const Tuning = z.object({
  concurrency: positiveInt.default(16),
  timeoutMs: positiveInt.default(30_000),
  maxAttempts: positiveInt.default(6),
  baseDelayMs: nonNegativeInt.default(250),
  maxDelayMs: nonNegativeInt.default(20_000),
  maxRetryAfterMs: nonNegativeInt.default(60_000),
});

/** The numeric options with their defaults applied. */
export type Tuning = z.infer<typeof Tuning>;

/** Options after checking: normalized base URL and key, every number set. */
export interface ResolvedOptions extends Tuning {
  baseUrl: string;
  apiKey: string;
}

/** Checks and completes `options`; throws a `TypeError` naming the bad option. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const tuning = Tuning.safeParse({
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
  });
  if (!tuning.success) throw new TypeError(`invalid client options: ${describeIssues(tuning.error)}`);
  return { ...tuning.data, baseUrl: checkBaseUrl(options.baseUrl), apiKey: checkApiKey(options.apiKey) };
}

function checkBaseUrl(baseUrl: string): string {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(
      `invalid client options: baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`,
    );
  }
  // fetch refuses URLs with credentials, and its error would print them.
  if (url.username || url.password)
    throw new TypeError('invalid client options: baseUrl must not hold credentials');
  return baseUrl.replace(/\/+$/, '');
}

/** Trims (keys pasted from files often end in a newline); no spaces or control characters. */
function checkApiKey(apiKey: unknown): string {
  const key = typeof apiKey === 'string' ? apiKey.trim() : '';
  // Checked here because fetch's own "invalid header value" error would quote the key.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new TypeError(
      'invalid client options: apiKey must be a non-empty string of printable ASCII characters',
    );
  }
  return key;
}
