/**
 * sessions.csv read as it streams, one row at a time as a record by column name: columns are
 * only ever appended, so a run written before a column existed just lacks it, and every reader
 * of the file (top failing sessions, stuck sessions) shares one pass over it.
 */
import { csvRowBatches } from '../../../lib/report/csv-stream';
import type { ReportStore } from '../../../lib/store/store';

/** One sessions.csv row; a column the run did not write is absent. */
export type SessionRecord = Readonly<Record<string, string>>;

/** Hands each row of sessions.csv (store key `key`) to every visitor; false when the file is missing. */
export async function visitSessionRows(
  store: ReportStore,
  key: string,
  visitors: readonly ((row: SessionRecord) => void)[],
): Promise<boolean> {
  const body = await store.readStream(key);
  if (!body) return false;
  let header: string[] | undefined;
  // Decoded as one stream: a name whose UTF-8 bytes straddle two chunks stays whole.
  for await (const batch of csvRowBatches(body)) {
    for (const cells of batch) {
      if (!header) {
        header = cells;
        continue;
      }
      const row = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
      for (const visit of visitors) visit(row);
    }
  }
  return true;
}

/** The CSV prefixes formula-like text with `'` for spreadsheets; a web page shows the text as given. */
export function unescapeFormula(text: string): string {
  return /^'[=+\-@\t\r\0]/.test(text) ? text.slice(1) : text;
}
