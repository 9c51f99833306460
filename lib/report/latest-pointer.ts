/**
 * `<workspace>/latest.json`: the newest complete run. It only moves forward in run-ID order,
 * and concurrent runs cannot corrupt it: every change is a conditional write against the
 * version we read (S3 If-Match / If-None-Match), retried on conflict.
 */
import { z } from 'zod';
import { JSON_CONTENT_TYPE, jsonText, parseStoredJson } from '../store/content';
import type { ReportStore } from '../store/store';
import { latestKey } from './layout';

export const LatestPointer = z.object({
  workspace: z.string(),
  run_id: z.string(),
  generated_at: z.string(),
  /** The run folder, relative to the store root. */
  prefix: z.string(),
});
export type LatestPointer = z.infer<typeof LatestPointer>;

export type AdvanceResult = 'updated' | 'newer-run-kept';

export async function advanceLatest(store: ReportStore, pointer: LatestPointer): Promise<AdvanceResult> {
  const key = latestKey(pointer.workspace);
  const body = jsonText(pointer);
  for (let attempt = 1; attempt <= 20; attempt++) {
    const current = await store.read(key);
    const currentRun = current ? parsePointer(current.body)?.run_id : undefined;
    if (currentRun !== undefined && currentRun >= pointer.run_id) return 'newer-run-kept';
    const written = await store.writeIfUnchanged(key, body, current?.version, {
      contentType: JSON_CONTENT_TYPE,
    });
    if (written) return 'updated';
  }
  throw new Error(`could not update ${key}: it kept changing during 20 attempts`);
}

export async function readLatest(store: ReportStore, workspace: string): Promise<LatestPointer | undefined> {
  const current = await store.read(latestKey(workspace));
  return current ? parsePointer(current.body) : undefined;
}

/** A damaged pointer reads as absent, so the next complete run repairs it. */
function parsePointer(body: string): LatestPointer | undefined {
  return parseStoredJson(LatestPointer, body);
}
