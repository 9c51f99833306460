/**
 * The path and query parameters of the API, as zod schemas (the validators and the OpenAPI
 * document come from the same definitions). Workspace names and run ids end up in S3 keys and
 * upstream URLs, so each way a name can be dangerous gets its own, specific message.
 */
import { z } from '@hono/zod-openapi';
import { CSV_FILE_NAMES, REPORT_FILES } from '../../lib/report/columns';
import { isRunId } from '../../lib/report/run-id';
import { REPORT_MODES } from '../../lib/report/summary';
import {
  MAX_WORKSPACE_LENGTH,
  WORKSPACE_PATTERN,
  workspaceNameProblem,
} from '../../lib/report/workspace-name';

const workspace = z
  .string()
  .superRefine((name, ctx) => {
    const problem = workspaceNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({
    param: { name: 'workspace', in: 'path' },
    description: 'The deepset workspace name.',
    pattern: WORKSPACE_PATTERN.source,
    maxLength: MAX_WORKSPACE_LENGTH,
    example: 'demo',
  });

const run = z
  .string()
  .refine((value) => value === 'latest' || isRunId(value), {
    message: 'must be a run id like 20261123T070630123Z-4f9c2a, or "latest"',
  })
  .openapi({
    param: { name: 'run', in: 'path' },
    description: 'A run id, or `latest` for the newest complete run.',
    example: 'latest',
  });

/** Every file a run folder can hold. */
export const REPORT_FILE_NAMES = [REPORT_FILES.summary, ...CSV_FILE_NAMES] as [string, ...string[]];

const file = z.enum(REPORT_FILE_NAMES).openapi({
  param: { name: 'file', in: 'path' },
  description: 'One of the report files.',
  example: 'sessions.csv',
});

export const WorkspaceParams = z.object({ workspace });
export const RunParams = z.object({ workspace, run });
export const FileParams = z.object({ workspace, run, file });

/** Hono hands a query parameter given more than once over as an array of its values. */
function once<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (!Array.isArray(value)) return value;
    ctx.addIssue({ code: 'custom', message: 'must be given at most once' });
    return z.NEVER;
  }, schema);
}

// Plain decimal digits only: Number() would also take exponents, hex, signs and blanks, and read
// an empty value as 0. No leading zeros either, so no value reads as octal anywhere.
const DECIMAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/** A whole number from `min` to `max`, with one message for every way a value can miss that. */
function decimalInteger(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}, in decimal digits`;
  return z.string().transform((text, ctx) => {
    const value = DECIMAL_INTEGER.test(text) ? Number(text) : Number.NaN;
    if (value >= min && value <= max) return value;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

export const RunQuery = z.object({
  mode: once(z.enum(REPORT_MODES).default('full')).openapi({
    param: { name: 'mode', in: 'query' },
    description: '`full` lists every file; `summary` counts with fewer requests (no files.csv).',
  }),
});

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

export const ListQuery = z.object({
  limit: once(decimalInteger(1, MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT)).openapi({
    param: { name: 'limit', in: 'query' },
    type: 'integer',
    minimum: 1,
    maximum: MAX_LIST_LIMIT,
    default: DEFAULT_LIST_LIMIT,
    description: `Runs per page, 1-${MAX_LIST_LIMIT}.`,
  }),
  cursor: once(
    z
      .string()
      .refine(isRunId, { message: 'must be a run id (the next_cursor of the previous page)' })
      .optional(),
  ).openapi({
    param: { name: 'cursor', in: 'query' },
    description: 'The `next_cursor` of the previous page: runs older than this run id.',
  }),
});
