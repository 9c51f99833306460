/** The JSON bodies of successful responses, as zod schemas for the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { ReportSummary } from '../../lib/report/summary';

// Rebuilt from the shape rather than `ReportSummary.openapi(...)`: zod 4 copies methods onto each
// schema when it is created, so a schema made before @hono/zod-openapi loaded has no `.openapi`
// (which one loads first depends on the importer's import order).
export const Summary = z.object(ReportSummary.shape).openapi('ReportSummary', {
  description: 'summary.json of a run.',
});

const FileLinks = z
  .object({
    download: z
      .url()
      .openapi({ description: "This API's download route (answers 302 to a fresh presigned URL)." }),
    presigned: z.url().openapi({ description: 'A presigned S3 URL, valid until `presigned_expires_at`.' }),
  })
  .openapi('FileLinks');

export const RunLinks = z
  .object({
    self: z.url(),
    dashboard: z.url(),
    files: z
      .record(z.string(), FileLinks)
      .openapi({ description: 'By file name (files.csv only in mode full).' }),
    presigned_expires_at: z.iso.datetime(),
  })
  .openapi('RunLinks');
export type RunLinks = z.infer<typeof RunLinks>;

export const RunListItem = z
  .object({
    run_id: z.string(),
    status: z.enum(['running', 'complete', 'failed']),
    started_at: z.string(),
    generated_at: z
      .string()
      .openapi({ description: 'When the run ended; while running, its last status write.' }),
    complete: z.boolean(),
    mode: Summary.shape.mode,
    sessions: z.number().int(),
    files: z.object({ total: z.number().int(), by_ingestion_status: z.record(z.string(), z.number()) }),
    progress: z.object({
      sessions_done: z.number().int(),
      sessions_total: z.number().int().nullable(),
      files_seen: z.number().int(),
      requests: z.number().int(),
    }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    links: z.object({ self: z.url() }),
  })
  .openapi('RunListItem');
export type RunListItem = z.infer<typeof RunListItem>;

export const RunList = z
  .object({
    workspace: z.string(),
    items: z.array(RunListItem),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('RunList');
export type RunList = z.infer<typeof RunList>;

export const Health = z.object({ status: z.literal('ok') }).openapi('Health');
