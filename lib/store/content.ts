/**
 * What the report files are, for whoever stores or serves them: the content types of CSV and
 * JSON files, and the one way JSON is written (indented, with a final newline), so every JSON
 * file a run leaves reads the same and stays byte-identical from one version to the next; and
 * the one way a small JSON object the store holds is read back.
 */
import type { z } from 'zod';
import type { ReportStore } from './store';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';

/** `value` as a JSON file's text. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes `value` as JSON to `key`. */
export async function writeJson(store: ReportStore, key: string, value: unknown): Promise<void> {
  await store.write(key, jsonText(value), { contentType: JSON_CONTENT_TYPE });
}

/**
 * The JSON object `body` as `schema` reads it; undefined when it is damaged (not JSON, or not
 * that shape), for the objects a run reads as absent then and replaces on its next write.
 */
export function parseStoredJson<T>(schema: z.ZodType<T>, body: string): T | undefined {
  try {
    return schema.parse(JSON.parse(body));
  } catch {
    return undefined;
  }
}
