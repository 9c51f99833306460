/**
 * The CDK app's configuration: CDK context values (cdk.json, or `-c key=value` on the command
 * line), validated with zod. A bad value fails synth with one line naming the context key.
 *
 * Values from `-c` always arrive as strings, values from cdk.json keep their JSON type, so
 * numbers and booleans accept both forms.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

/** Defaults for every context key; cdk.json repeats them so operators see what they can set. */
export const INFRA_DEFAULTS = {
  apiUrl: 'https://api.cloud.deepset.ai/api/v1',
  apiKeySecretArn: '',
  workspaces: '',
  scheduleCron: 'cron(0 3 * * ? *)',
  scheduleTimeZone: 'Europe/Berlin',
  reportPrefix: 'reports/',
  runRetentionDays: 90,
  logRetentionDays: 30,
  apiConcurrency: 16,
  nightlyReservedConcurrency: 1,
  httpReservedConcurrency: 10,
  fanoutThresholdFiles: 200_000,
  fanoutMaxConcurrency: 8,
  fanoutBatchFiles: 50_000,
  // A session with pending files older than this many hours is stuck (STUCK_AFTER_HOURS).
  stuckAfterHours: 24,
  alarmEmail: '',
  // The alert rules' thresholds, each off unless set, and who hears of a breach.
  alertFailureRatePct: '',
  alertNewFailed: '',
  alertStuckFiles: '',
  alertEmail: '',
  alertWebhookUrl: '',
  // Where people open the app, for the links in alert messages (none when unset).
  publicBaseUrl: '',
  lambdaTracing: false,
  // How the HTTP function's users sign in: 'cognito', 'oidc' or 'iam'.
  httpAuth: 'cognito',
  cognitoDomainPrefix: '',
  oidcIssuer: '',
  oidcClientId: '',
  oidcClientSecretArn: '',
  oidcGroupsClaim: 'groups',
} as const;

/** The deploy-time sign-in modes of the HTTP function. */
export const HTTP_AUTH_MODES = ['cognito', 'oidc', 'iam'] as const;

/** Keys whose value is never repeated in an error: a pasted secret would land in CI logs. */
const NEVER_ECHOED = new Set(['apiKeySecretArn', 'oidcClientSecretArn', 'alertWebhookUrl']);

/** The context keys this app reads. */
export type InfraContextKey = keyof typeof INFRA_DEFAULTS;

/** Raised when a context value is invalid; the message names the key and the rule it broke. */
export class InfraConfigError extends Error {
  override name = 'InfraConfigError';
  constructor(
    readonly key: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid CDK context '${key}': ${reason}`, options);
  }
}

// The same rule the HTTP API applies, so the nightly run never asks for a name it would refuse.
const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
// The complete ARN (with the 6-character suffix Secrets Manager appends): a partial ARN cannot
// be told apart from a name that happens to end in '-xxxxxx', and would grant the wrong resource.
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
// No '*' or '?': the prefix ends up inside IAM resource ARNs, where both are wildcards.
const REPORT_PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/;
// Cognito's rule for a hosted-UI domain prefix; the reserved words are refused by Cognito too.
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_DOMAIN = /aws|amazon|cognito/;
// Printable ASCII without spaces: client IDs and claim names of every provider fit.
const TOKEN_TEXT = /^[\x21-\x7e]{1,256}$/;
const CRON = /^cron\(\S+( \S+){5}\)$/;
const FINITE_LOG_RETENTIONS = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/** A whole number in [min, max]; `-c` hands numbers over as strings of digits. */
const int = (min: number, max: number) => {
  const expected = `expected a whole number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z.number({ error: expected }).int(expected).min(min, expected).max(max, expected),
  );
};

/** A number in [min, max] with decimals, e.g. a percentage; `-c` hands it over as a string. */
const decimal = (min: number, max: number) => {
  const expected = `expected a number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v),
    z.number({ error: expected }).min(min, expected).max(max, expected),
  );
};

const bool = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean({ error: 'expected true or false' }),
);

/** '' and absent both mean "not set" for the optional string keys. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const workspaceList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
  .pipe(z.array(z.string().regex(WORKSPACE_NAME, `each workspace must match ${WORKSPACE_NAME}`)))
  .transform((names) => [...new Set(names)]);

const secretArn = z.string().regex(SECRET_ARN, 'expected the complete ARN of a Secrets Manager secret');

// Compared with the tokens' 'iss' character for character, so it is kept exactly as given.
const issuer = z
  .url({ protocol: /^https$/, error: 'expected an https:// URL' })
  .refine((u) => !/[?#]/.test(u), 'an issuer URL has no query or fragment');

// SNS delivers to it; a user:password part would land in the template.
const webhookUrl = z
  .url({ protocol: /^https$/, error: 'expected an https:// URL' })
  .refine((u) => !/^https:\/\/[^/]*@/.test(u), 'must not contain credentials (user:password@)');

const origin = z
  .url({ protocol: /^https$/, error: 'expected an https:// origin' })
  .refine((u) => ['', '/'].includes(new URL(u).pathname) && !/[?#]/.test(u), {
    message: 'expected an origin like https://reports.example.com (no path or query)',
  })
  .transform((u) => new URL(u).origin);

const timeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin');

const schema = z.object({
  apiUrl: z
    .url({ protocol: /^https$/, error: 'expected an https:// URL' })
    .transform((u) => u.replace(/\/+$/, '')),
  apiKeySecretArn: optional(secretArn),
  workspaces: workspaceList,
  scheduleCron: z
    .string()
    .regex(CRON, "expected an EventBridge cron with six fields, e.g. 'cron(0 3 * * ? *)'"),
  scheduleTimeZone: timeZone,
  reportPrefix: z.string().regex(REPORT_PREFIX, "expected path segments ending in '/', e.g. 'reports/'"),
  runRetentionDays: int(1, 3650),
  logRetentionDays: int(1, 3653).refine((d) => FINITE_LOG_RETENTIONS.includes(d), {
    message: `expected one of CloudWatch Logs' retention periods: ${FINITE_LOG_RETENTIONS.join(', ')}`,
  }),
  apiConcurrency: int(1, 256),
  nightlyReservedConcurrency: int(1, 1000),
  httpReservedConcurrency: int(1, 1000),
  fanoutThresholdFiles: int(1, 1_000_000_000),
  // A Distributed Map runs at most 10,000 child executions at once.
  fanoutMaxConcurrency: int(1, 10_000),
  // Files per fan-out batch (FANOUT_BATCH_FILES): one worker invocation's share.
  fanoutBatchFiles: int(1_000, 10_000_000),
  stuckAfterHours: decimal(0, 87_600).refine((hours) => hours > 0, 'expected a number of hours > 0'),
  alarmEmail: optional(z.email('expected an email address')),
  alertFailureRatePct: optional(decimal(0, 100)),
  alertNewFailed: optional(int(0, 1_000_000_000)),
  alertStuckFiles: optional(int(0, 1_000_000_000)),
  alertEmail: optional(z.email('expected an email address')),
  alertWebhookUrl: optional(webhookUrl),
  publicBaseUrl: optional(origin),
  lambdaTracing: bool,
  httpAuth: z.enum(HTTP_AUTH_MODES, { error: `expected one of ${HTTP_AUTH_MODES.join(', ')}` }),
  cognitoDomainPrefix: optional(
    z
      .string()
      .regex(DOMAIN_PREFIX, 'expected lowercase letters, digits and inner hyphens, at most 63')
      .refine((p) => !RESERVED_IN_DOMAIN.test(p), "must not contain 'aws', 'amazon' or 'cognito'"),
  ),
  oidcIssuer: optional(issuer),
  oidcClientId: optional(z.string().regex(TOKEN_TEXT, 'expected printable characters without spaces')),
  oidcClientSecretArn: optional(secretArn),
  oidcGroupsClaim: z.string().regex(TOKEN_TEXT, 'expected a claim name without spaces'),
});

/** How the HTTP function's users sign in, with what each mode needs. */
export type HttpAuthConfig =
  /** A user pool of this stack; `domainPrefix` unset: `ingestion-reports-<account>`. */
  | { readonly mode: 'cognito'; readonly domainPrefix: string | undefined }
  /** An existing OpenID provider; its client secret is in Secrets Manager. */
  | {
      readonly mode: 'oidc';
      readonly issuer: string;
      readonly clientId: string;
      readonly clientSecretArn: string;
      readonly groupsClaim: string;
    }
  /** SigV4-signed requests only (the Function URL's IAM auth). */
  | { readonly mode: 'iam' };

type ContextValues = z.output<typeof schema>;
type AuthKey = 'httpAuth' | 'cognitoDomainPrefix' | OidcKey | 'oidcGroupsClaim';
type OidcKey = 'oidcIssuer' | 'oidcClientId' | 'oidcClientSecretArn';
const OIDC_REQUIRED: readonly OidcKey[] = ['oidcIssuer', 'oidcClientId', 'oidcClientSecretArn'];

/** The validated configuration the stack is built from. */
export type InfraConfig = Omit<ContextValues, AuthKey> & { readonly httpAuth: HttpAuthConfig };

/**
 * The keys of one mode are refused in another: a forgotten `-c httpAuth=oidc` would otherwise
 * deploy a Cognito pool instead of the provider the operator named.
 */
const contextSchema = schema.superRefine((values, ctx) => {
  const wrongMode = (key: AuthKey, mode: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message: `is only used with httpAuth=${mode}` });
  for (const key of OIDC_REQUIRED) {
    if (values.httpAuth === 'oidc' && values[key] === undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'is required when httpAuth=oidc' });
    }
    if (values.httpAuth !== 'oidc' && values[key] !== undefined) wrongMode(key, 'oidc');
  }
  if (values.httpAuth !== 'cognito' && values.cognitoDomainPrefix !== undefined) {
    wrongMode('cognitoDomainPrefix', 'cognito');
  }
});

function toInfraConfig(values: ContextValues): InfraConfig {
  const { httpAuth, cognitoDomainPrefix, oidcIssuer, oidcClientId, oidcClientSecretArn, ...rest } = values;
  const { oidcGroupsClaim, ...config } = rest;
  if (httpAuth === 'cognito')
    return { ...config, httpAuth: { mode: httpAuth, domainPrefix: cognitoDomainPrefix } };
  if (httpAuth === 'iam') return { ...config, httpAuth: { mode: httpAuth } };
  // contextSchema has checked that these are set.
  const oidc = { issuer: oidcIssuer!, clientId: oidcClientId!, clientSecretArn: oidcClientSecretArn! };
  return { ...config, httpAuth: { mode: httpAuth, ...oidc, groupsClaim: oidcGroupsClaim } };
}

/**
 * Reads every context key through `lookup` (e.g. `(k) => app.node.tryGetContext(k)`), falls back
 * to `INFRA_DEFAULTS`, and validates. Throws `InfraConfigError` naming the first bad key.
 *
 * @example parseInfraConfig((key) => app.node.tryGetContext(key))
 */
export function parseInfraConfig(lookup: (key: InfraContextKey) => unknown): InfraConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(INFRA_DEFAULTS) as InfraContextKey[]) {
    raw[key] = lookup(key) ?? INFRA_DEFAULTS[key];
  }
  const parsed = contextSchema.safeParse(raw);
  if (parsed.success) return toInfraConfig(parsed.data);
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0] ?? 'context');
  const value = raw[key];
  // Someone may paste a secret itself where its ARN belongs: never echo that value.
  const echo = !NEVER_ECHOED.has(key) && value !== undefined && value !== '';
  const got = echo ? ` (got ${JSON.stringify(value)})` : '';
  throw new InfraConfigError(key, `${issue?.message ?? 'invalid'}${got}`, { cause: parsed.error });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
