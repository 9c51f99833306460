/**
 * Configuration from the environment, the one parser every entry point uses (CLI, `npm start`,
 * the HTTP, nightly and fan-out functions): the shared variables here, and `parseEnv` for an
 * entry point's own ones. CLI flags override it. Invalid configuration fails at start with one
 * clear line naming the variable. No value is ever echoed, the API key least of all.
 */
import { z } from 'zod';
import type { AlertThresholds } from '../../lib/alerts/rules';
import { DEFAULT_STUCK_AFTER_HOURS } from '../../lib/report/stuck';

export const EU_API_URL = 'https://api.cloud.deepset.ai/api/v1';

/** An optional variable; blank counts as unset, and the value is trimmed. */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** An optional variable holding a whole number >= 1 (blank counts as unset). */
export const optionalWholeNumber = optionalText.pipe(
  z
    .string()
    .regex(/^[1-9]\d*$/, 'expected a whole number >= 1')
    .transform(Number)
    .optional(),
);

/** An http(s) URL with no user:password part: the key goes in a header, and a URL gets printed. */
export const apiUrlSchema = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((url) => !hasCredentials(url), {
    message: 'must not contain credentials (user:password@); put the key in DEEPSET_API_KEY',
  });

function hasCredentials(url: string): boolean {
  const parsed = new URL(url);
  return parsed.username !== '' || parsed.password !== '';
}

/** Hours, e.g. `24` or `1.5`: a positive number. */
export const hoursSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a number of hours > 0')
  .transform(Number)
  .refine((hours) => hours > 0, 'must be a number of hours > 0');

/** A bearer key is one token of printable ASCII: anything else cannot go into a header as is. */
const apiKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]+$/, { message: 'must not contain spaces, control or non-ASCII characters' });

const EnvSchema = z.object({
  DEEPSET_API_URL: optionalText.pipe(apiUrlSchema.optional()),
  DEEPSET_API_KEY: optionalText.pipe(apiKeySchema.optional()),
  DEEPSET_API_KEY_SECRET_ARN: optionalText.pipe(z.string().startsWith('arn:').optional()),
  DEEPSET_WORKSPACES: optionalText.transform((v) =>
    (v ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean),
  ),
  REPORT_BUCKET: optionalText,
  REPORT_PREFIX: z.string().default('reports/'),
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  STUCK_AFTER_HOURS: optionalText.pipe(hoursSchema.optional()),
});

export interface Config {
  /** Undefined when neither URL nor key is set: the embedded emulator is used. */
  apiUrl: string | undefined;
  apiKey: string | undefined;
  apiKeySecretArn: string | undefined;
  workspaces: string[];
  reportBucket: string | undefined;
  reportPrefix: string;
  concurrency: number;
  /** A session with pending files older than this at a run's start is stuck. */
  stuckAfterHours: number;
}

/** Thrown for invalid configuration; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses variables with `schema` (a zod object keyed by variable name); throws a `ConfigError`
 * naming the first bad one. Never echoes a value: it may be a key pasted into the wrong variable.
 */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`invalid ${String(issue.path[0])}: ${issue.message}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(EnvSchema, env);
  const keyGiven = e.DEEPSET_API_KEY !== undefined || e.DEEPSET_API_KEY_SECRET_ARN !== undefined;
  return {
    apiUrl: e.DEEPSET_API_URL ?? (keyGiven ? EU_API_URL : undefined),
    apiKey: e.DEEPSET_API_KEY,
    apiKeySecretArn: e.DEEPSET_API_KEY_SECRET_ARN,
    workspaces: e.DEEPSET_WORKSPACES,
    reportBucket: e.REPORT_BUCKET,
    reportPrefix: normalizePrefix(e.REPORT_PREFIX),
    concurrency: e.REPORT_CONCURRENCY,
    stuckAfterHours: e.STUCK_AFTER_HOURS ?? DEFAULT_STUCK_AFTER_HOURS,
  };
}

/** '' or a prefix ending in exactly one '/'. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

/** An optional threshold: a number >= 0 (blank counts as unset); `max` caps a percentage. */
const optionalThreshold = (expected: string, pattern: RegExp, max = Number.POSITIVE_INFINITY) =>
  optionalText.pipe(
    z
      .string()
      .regex(pattern, expected)
      .transform(Number)
      .refine((n) => n <= max, expected)
      .optional(),
  );

const AlertEnv = z.object({
  ALERT_FAILURE_RATE_PCT: optionalThreshold('expected a percentage from 0 to 100', /^\d+(\.\d+)?$/, 100),
  ALERT_NEW_FAILED: optionalThreshold('expected a whole number >= 0', /^\d+$/),
  ALERT_STUCK_FILES: optionalThreshold('expected a whole number >= 0', /^\d+$/),
  ALERTS_TOPIC_ARN: optionalText.pipe(
    z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'expected an SNS topic ARN')
      .optional(),
  ),
});

/** The alert rules' thresholds (each off unless set) and where breaches are published. */
export interface AlertConfig {
  thresholds: AlertThresholds;
  /** Absent: breaches are logged, not published. */
  topicArn: string | undefined;
}

/** ALERT_FAILURE_RATE_PCT, ALERT_NEW_FAILED, ALERT_STUCK_FILES and ALERTS_TOPIC_ARN. */
export function loadAlertConfig(env: NodeJS.ProcessEnv = process.env): AlertConfig {
  const e = parseEnv(AlertEnv, env);
  const thresholds: AlertThresholds = {};
  if (e.ALERT_FAILURE_RATE_PCT !== undefined) thresholds.failure_rate_pct = e.ALERT_FAILURE_RATE_PCT;
  if (e.ALERT_NEW_FAILED !== undefined) thresholds.new_failed = e.ALERT_NEW_FAILED;
  if (e.ALERT_STUCK_FILES !== undefined) thresholds.stuck_files = e.ALERT_STUCK_FILES;
  return { thresholds, topicArn: e.ALERTS_TOPIC_ARN };
}

/** The app's public origin, for links (HTTP) and the links in alert messages (every run). */
const PublicBaseUrlEnv = z.object({
  PUBLIC_BASE_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/ })
      .refine((value) => ['', '/'].includes(new URL(value).pathname) && !new URL(value).search, {
        message: 'must be an origin like https://reports.example.com (no path or query)',
      })
      .optional(),
  ),
});

/** PUBLIC_BASE_URL as an origin (`https://host[:port]`), or undefined when not set. */
export function loadPublicBaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = parseEnv(PublicBaseUrlEnv, env).PUBLIC_BASE_URL;
  return url === undefined ? undefined : new URL(url).origin;
}
