/**
 * Response schemas of the two upload-sessions endpoints, written from the vendor's OpenAPI
 * (`PaginatedResult[Session]`, `PaginatedResult[SessionFile]`, `HTTPValidationError`).
 *
 * - Unknown extra fields are dropped (zod objects strip by default), never an error.
 * - Enum fields accept any string: the vendor's enums have grown before.
 * - A missing required field or a wrong type fails parsing; `describeIssues` names the field.
 */
import { z } from 'zod';

/** Older API versions sent `+00:00` where the current one sends `Z`: accept both, emit `Z`. */
const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO 8601 date-time' })
  .transform((s) => s.replace(/[+-]00:?00$/, 'Z'));

/** An enum value: documented or not, kept as the string the API sent. */
const openEnum = z.string();

export const OauthUser = z.object({
  given_name: z.string(),
  family_name: z.string(),
  user_id: z.string(),
});

/**
 * `Session`. The spec marks only `expires_at`, `created_by` and `created_at` required; we also
 * require `session_id`, because a session without its ID cannot be reported or walked.
 */
export const Session = z.object({
  session_id: z.string().min(1),
  created_at: timestamp,
  expires_at: timestamp.nullable(),
  created_by: OauthUser,
  status: openEnum.default('OPEN'),
  write_mode: openEnum.default('KEEP'),
});

/**
 * `SessionFile`. The spec requires only `name` and `ingestion_status`; `file_ingestion_id` is
 * the key pages are deduplicated by when present, and an empty cell of its row when absent.
 */
export const SessionFile = z.object({
  file_ingestion_id: z.string().min(1).optional(),
  name: z.string(),
  ingestion_status: openEnum,
  ingestion_status_reason: openEnum.nullish().transform((v) => v ?? null),
});

/** The paginated envelope every list endpoint answers with. */
export const paginated = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    has_more: z.boolean(),
    total: z.number().int().nonnegative(),
  });

export const SessionPage = paginated(Session);
export const SessionFilePage = paginated(SessionFile);

/** FastAPI's 422 body. */
export const ValidationErrorBody = z.object({
  detail: z.array(
    z.object({
      loc: z.array(z.union([z.string(), z.number()])),
      msg: z.string(),
      type: z.string(),
      input: z.unknown().optional(),
      ctx: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

export type OauthUser = z.infer<typeof OauthUser>;
export type Session = z.infer<typeof Session>;
export type SessionFile = z.infer<typeof SessionFile>;
export type Page<T> = { data: T[]; has_more: boolean; total: number };
export type ValidationDetail = z.infer<typeof ValidationErrorBody>['detail'][number];

/** `data[3].created_by.given_name: expected string, received undefined` — the field first. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}
