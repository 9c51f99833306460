/**
 * The typed client of deepset's upload-sessions API: two list endpoints, each as one page and
 * as an async iterable of every entry. Every request goes through one adaptive limiter (shared
 * by the whole client, i.e. a run), is retried when the failure is transient, and its 2xx body
 * is checked with zod.
 */
import type { z } from 'zod';
import { getJsonOnce } from './attempt';
import type { FileSortField, SessionSortField, SortOrder } from './enums';
import { InvalidResponseError, type RequestInput, TransientError } from './errors';
import { AdaptiveLimiter, type SlotOutcome } from './limiter';
import { linkSignals } from './linked-signal';
import { type LongWait, longWaitOf } from './long-wait';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options';
import { pageByPage, WALK_PAGE_LIMIT } from './page-walk';
import { type RetryEvent, type RetryPolicy, withRetries } from './retry';
import { type Page, type Session, type SessionFile, SessionFilePage, SessionPage } from './schemas';

/** Query of `GET /workspaces/{w}/upload_sessions`. */
export interface SessionQuery {
  is_expired?: boolean;
  limit?: number;
  page_number?: number;
  before?: string;
  after?: string;
  field?: SessionSortField;
  order?: SortOrder;
}

/** Query of `GET /workspaces/{w}/upload_sessions/{id}/files`. */
export interface FileQuery {
  ingestion_status?: 'PENDING' | 'FAILED' | 'FINISHED';
  limit?: number;
  page_number?: number;
  before?: string;
  after?: string;
  field?: FileSortField;
  order?: SortOrder;
}

/** Per call: `signal` cancels this request (queued, waiting to retry, or in flight); never retried. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Live counters of a client; progress bars poll them. */
export interface ClientStats {
  /** HTTP attempts sent. */
  requests: number;
  retries: number;
  /** 429 responses seen. */
  throttled: number;
  inFlight: number;
  /** The current adaptive concurrency limit. */
  concurrencyLimit: number;
  /** The highest number of requests ever in flight at once. */
  maxInFlight: number;
  /** The retry wait over 5 s that ends last, once there was one (progress lines show it). */
  longWait?: LongWait;
}

/** Endpoint templates, as errors and `onRetry` name them. */
export const SESSIONS_ENDPOINT = 'GET /workspaces/{w}/upload_sessions';
export const FILES_ENDPOINT = 'GET /workspaces/{w}/upload_sessions/{id}/files';

/**
 * @example
 * const client = new UploadSessionsClient({ baseUrl: 'https://api.cloud.deepset.ai/api/v1', apiKey });
 * for await (const session of client.sessions('acme')) console.log(session.session_id);
 */
export class UploadSessionsClient {
  /** Live counters (the same object for the client's lifetime). */
  readonly stats: ClientStats;
  readonly #options: ResolvedOptions;
  readonly #signal: AbortSignal | undefined;
  readonly #onRetry: ClientOptions['onRetry'];
  readonly #limiter: AdaptiveLimiter;
  readonly #policy: RetryPolicy;

  constructor(options: ClientOptions) {
    this.#options = resolveOptions(options);
    this.#signal = options.signal;
    this.#onRetry = options.onRetry;
    const { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.#options;
    this.#policy = {
      maxAttempts,
      baseDelayMs,
      maxDelayMs,
      maxRetryAfterMs,
      ...optionalSignal(options.signal),
    };
    const limiter = new AdaptiveLimiter(this.#options.concurrency);
    this.#limiter = limiter;
    this.stats = {
      requests: 0,
      retries: 0,
      throttled: 0,
      get inFlight() {
        return limiter.inFlight;
      },
      get concurrencyLimit() {
        return limiter.limit;
      },
      get maxInFlight() {
        return limiter.maxInFlight;
      },
    };
  }

  /** One page of the workspace's sessions; `total` is the number of sessions matching the query. */
  listSessions(
    workspace: string,
    query: SessionQuery = {},
    options: RequestOptions = {},
  ): Promise<Page<Session>> {
    const input = { endpoint: SESSIONS_ENDPOINT, workspace };
    const path = `/workspaces/${encodeURIComponent(workspace)}/upload_sessions`;
    return this.#get(input, path, { ...query }, SessionPage, options.signal);
  }

  /** One page of a session's files; `total` is the number of files matching the query. */
  listSessionFiles(
    workspace: string,
    sessionId: string,
    query: FileQuery = {},
    options: RequestOptions = {},
  ): Promise<Page<SessionFile>> {
    const input = { endpoint: FILES_ENDPOINT, workspace, sessionId };
    const path = `/workspaces/${encodeURIComponent(workspace)}/upload_sessions/${encodeURIComponent(sessionId)}/files`;
    return this.#get(input, path, { ...query }, SessionFilePage, options.signal);
  }

  /**
   * Every session, walking pages (limit 100 unless given) by `page_number` until `has_more` is
   * false. Iterable more than once (each iteration walks afresh). `before`/`after` cannot be
   * combined with `page_number`: the API answers 422.
   */
  sessions(workspace: string, query: Omit<SessionQuery, 'page_number'> = {}): AsyncIterable<Session> {
    const limit = query.limit ?? WALK_PAGE_LIMIT;
    const input = { endpoint: SESSIONS_ENDPOINT, workspace };
    const byId = (session: Session) => session.session_id;
    return {
      [Symbol.asyncIterator]: () =>
        pageByPage(
          (page_number) => this.listSessions(workspace, { ...query, limit, page_number }),
          byId,
          input,
        ),
    };
  }

  /** Every file of a session, walking pages as `sessions` does. */
  sessionFiles(
    workspace: string,
    sessionId: string,
    query: Omit<FileQuery, 'page_number'> = {},
  ): AsyncIterable<SessionFile> {
    const limit = query.limit ?? WALK_PAGE_LIMIT;
    const input = { endpoint: FILES_ENDPOINT, workspace, sessionId };
    const byId = (file: SessionFile) => file.file_ingestion_id;
    const page = (page_number: number) =>
      this.listSessionFiles(workspace, sessionId, { ...query, limit, page_number });
    return { [Symbol.asyncIterator]: () => pageByPage(page, byId, input) };
  }

  /** Never the key: what `JSON.stringify(client)` shows. */
  toJSON(): { baseUrl: string; stats: ClientStats } {
    return { baseUrl: this.#options.baseUrl, stats: { ...this.stats } };
  }

  async #get<T>(
    input: RequestInput,
    path: string,
    query: object,
    schema: z.ZodType<T>,
    callSignal: AbortSignal | undefined,
  ): Promise<T> {
    const url = `${this.#options.baseUrl}${path}${toQueryString(query)}`;
    // The client's signal (e.g. a deadline) and the call's (e.g. its run failed) both cancel it.
    const linked = callSignal ? linkSignals([this.#signal, callSignal]) : undefined;
    const signal = linked?.signal ?? this.#signal;
    try {
      const json = await withRetries(
        () => this.#attempt(url, input, signal),
        { ...this.#policy, ...optionalSignal(signal) },
        (event) => this.#retrying(input, event),
      );
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new InvalidResponseError(input, parsed.error);
      return parsed.data;
    } finally {
      linked?.dispose();
    }
  }

  /** One attempt inside a limiter slot; the slot is freed before any retry wait. */
  async #attempt(url: string, input: RequestInput, signal: AbortSignal | undefined): Promise<unknown> {
    const release = await this.#limiter.acquire(signal);
    let outcome: SlotOutcome = 'other';
    try {
      this.stats.requests++;
      const { apiKey, timeoutMs } = this.#options;
      const json = await getJsonOnce({ url, apiKey, timeoutMs, input, ...optionalSignal(signal) });
      outcome = 'success';
      return json;
    } catch (error) {
      if (error instanceof TransientError && error.reason === 'rate-limited') {
        outcome = 'throttled';
        this.stats.throttled++;
      }
      throw error;
    } finally {
      release(outcome);
    }
  }

  #retrying(input: RequestInput, event: RetryEvent): void {
    this.stats.retries++;
    const wait = longWaitOf(event);
    if (wait && wait.endsAt >= (this.stats.longWait?.endsAt ?? 0)) this.stats.longWait = wait;
    this.#onRetry?.({ endpoint: input.endpoint, ...event });
  }
}

/** `?limit=100&page_number=2`: defined values only, booleans as `true`/`false`. */
function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `{ signal }` only when there is one (optional properties here are "absent", never `undefined`). */
function optionalSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
