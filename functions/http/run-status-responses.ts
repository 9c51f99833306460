/**
 * The bodies of starting and watching a run, as zod schemas for the OpenAPI document: the 202
 * of a started run, the 409 while another run holds the workspace, and a run's status.
 */
import { z } from '@hono/zod-openapi';
import { RUN_STATES } from '../../lib/report/run-status';
import { ErrorBody } from './errors';
import { Summary } from './responses';

export const RunStarted = z
  .object({
    run_id: z.string().openapi({ example: '20261123T070630123Z-4f9c2a' }),
    status: z.literal('running'),
    links: z.object({
      self: z.url().openapi({ description: 'The run status; poll it (also the Location header).' }),
    }),
  })
  .openapi('RunStarted');

export const RunConflict = z
  .object({
    error: ErrorBody.shape.error,
    run_id: z.string().openapi({ description: 'The run in progress.' }),
    links: z.object({ run: z.url().openapi({ description: 'The status of the run in progress.' }) }),
  })
  .openapi('RunConflict', {
    description: 'error.code RUN_IN_PROGRESS: another run of the workspace holds its lease.',
  });

export const RunProgress = z
  .object({
    sessions_done: z.number().int(),
    sessions_total: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'null until every session is listed.' }),
    files_seen: z.number().int(),
    requests: z.number().int().openapi({ description: 'API requests so far.' }),
  })
  .openapi('RunProgress');

const StatusFileLinks = z.object({ download: z.url(), presigned: z.url() });

export const RunStatusResponse = z
  .object({
    run_id: z.string(),
    workspace: z.string(),
    mode: Summary.shape.mode,
    status: z.enum(RUN_STATES).openapi({
      description:
        'running, then complete or failed. A run that died (timeout, crash, kill) reads failed with error.code ' +
        'ABANDONED once its lease expired.',
    }),
    started_at: z.string(),
    updated_at: z.string(),
    progress: RunProgress,
    summary: Summary.optional().openapi({ description: 'summary.json, once the run ended.' }),
    error: ErrorBody.shape.error.optional().openapi({ description: 'Why the run failed.' }),
    links: z.object({
      self: z.url(),
      dashboard: z.url(),
      files: z.record(z.string(), StatusFileLinks).optional().openapi({ description: 'Once the run ended.' }),
      presigned_expires_at: z.iso.datetime().optional(),
    }),
  })
  .openapi('RunStatus');
export type RunStatusResponse = z.infer<typeof RunStatusResponse>;
