/**
 * What the HTTP app needs from the outside world: where reports are, how to reach the API
 * (a fresh client per run, so each run's key lookup and counters are its own), and a logger.
 * The Lambda entry builds these from the environment; `npm start` and the tests build them
 * over the emulator and s3rver.
 */
import type { UploadSessionsClient } from '../../lib/api';
import type { ReportSettings } from '../../lib/report/publish';
import type { ReportStore } from '../../lib/store/store';
import type { AuthConfig } from './auth/auth-config';
import type { RunLauncher } from './run-launcher';

/** Structured logging; `fields` may hold errors (with stack and cause): logs are not the caller. */
export interface HttpLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The app's dependencies. */
export interface HttpDeps {
  store: ReportStore;
  /** A client for one run; resolves the API key each time (Secrets Manager caches it). */
  createClient(): Promise<UploadSessionsClient>;
  /** Default: JSON lines on stdout/stderr. */
  logger?: HttpLogger;
  /** Who may call (HTTP_AUTH and the OIDC_* settings). Default: open, for a local server only. */
  auth?: AuthConfig;
  /** The app's public origin (PUBLIC_BASE_URL); default: the Function URL's domain or the listening address. */
  publicBaseUrl?: string;
  /** Gets a started run going; default: in this process, in the background (`npm start`). */
  runLauncher?: RunLauncher;
  /**
   * How a started run is claimed: the workspace lease's lifetime and how often status.json is
   * written (defaults: 60 s, 2 s), and the report's settings (STUCK_AFTER_HOURS).
   */
  runLease?: { leaseTtlMs?: number; statusIntervalMs?: number; settings?: ReportSettings };
}

/** One JSON line per entry: errors on stderr, the rest on stdout. */
export const consoleLogger: HttpLogger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'INFO', message, ...serializable(fields) })),
  error: (message, fields) =>
    console.error(JSON.stringify({ level: 'ERROR', message, ...serializable(fields) })),
};

/** Errors become `{ name, message, stack, cause }`, which JSON.stringify would otherwise drop. */
function serializable(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, errorFields(value)]));
}

function errorFields(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error) || depth > 3) return value;
  return {
    name: value.name,
    message: value.message,
    stack: value.stack,
    ...(value.cause === undefined ? {} : { cause: errorFields(value.cause, depth + 1) }),
  };
}
