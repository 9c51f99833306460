/**
 * The report CSVs from the batches' part files: each is its header followed by the parts in
 * batch order, which is byte for byte what a single-process run writes (same rows, same order,
 * one header). The store decides how: S3 copies large parts inside S3, a folder streams.
 */
import { FILE_COLUMNS, type ReportFileName, SESSION_COLUMNS } from '../report/columns';
import { csvHeader } from '../report/csv';
import type { ReportMode } from '../report/summary';
import { CSV_CONTENT_TYPE } from '../store/content';
import type { ComposeResult, ComposingStore, Piece } from '../store/store';
import { PART_FILES, type PartName, partKey } from './layout';

/** The parts each report file is made of, in the order they are written (as runReport). */
function partsOf(mode: ReportMode): PartName[] {
  return mode === 'full' ? ['files', 'failed_files', 'sessions'] : ['failed_files', 'sessions'];
}

/** The header and part keys of one report file. */
export function piecesOf(prefix: string, part: PartName, batches: number): Piece[] {
  const header = csvHeader(part === 'sessions' ? SESSION_COLUMNS : FILE_COLUMNS);
  const keys = Array.from({ length: batches }, (_, batch) => ({ key: partKey(prefix, part, batch) }));
  return [{ text: header }, ...keys];
}

/** Writes the run's CSVs under `prefix`; returns how each one was composed, by file name. */
export async function assembleReport(
  store: ComposingStore,
  prefix: string,
  mode: ReportMode,
  batches: number,
): Promise<Partial<Record<ReportFileName, ComposeResult>>> {
  const composed: Partial<Record<ReportFileName, ComposeResult>> = {};
  await Promise.all(
    partsOf(mode).map(async (part) => {
      const name = PART_FILES[part];
      composed[name] = await store.compose(prefix + name, piecesOf(prefix, part, batches), {
        contentType: CSV_CONTENT_TYPE,
      });
    }),
  );
  return composed;
}
