/**
 * What the report files are, for whoever stores or serves them: the content types of CSV and
 * JSON files, and the one way JSON is written (indented, with a final newline), so every JSON
 * file a run leaves reads the same and stays byte-identical from one version to the next.
 */
import type { ReportStore } from './store';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';

/** `value` as a JSON file's text. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes `value` as JSON to `key`. */
export async function writeJson(store: ReportStore, key: string, value: unknown): Promise<void> {
  await store.write(key, jsonText(value), { contentType: JSON_CONTENT_TYPE });
}
