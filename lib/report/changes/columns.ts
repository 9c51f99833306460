/**
 * The shapes of changes.csv: its columns (contract order, only ever appended), the kinds of
 * change, and the file rows both runs are compared on.
 *
 * Rows are compared as the CSVs carry them (formula-like text keeps its leading `'`): the
 * baseline can only be read back from its CSV, so the current run's rows are read the same
 * way, and a name matches itself on both sides whatever it contains.
 */
import type { Cell } from '../columns';
import { REPORT_FILES } from '../columns';

export const CHANGES_FILE = REPORT_FILES.changes;

export const CHANGE_COLUMNS = [
  'session_id',
  'file_ingestion_id',
  'name',
  'previous_status',
  'status',
  'ingestion_status_reason',
  'change',
] as const;

export const CHANGE_KINDS = ['added', 'removed', 'status_changed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** `all`: every file of both runs; `failed_only`: the FAILED files (a run in mode summary lists no others). */
export type ChangeScope = 'all' | 'failed_only';

/** One row of files.csv or failed_files.csv, as read back. Empty cells are null. */
export interface FileRecord {
  session_id: string;
  file_ingestion_id: string | null;
  name: string;
  status: string;
  reason: string | null;
}

/** One row of changes.csv. */
export interface ChangeRow {
  session_id: string;
  file_ingestion_id: string | null;
  name: string;
  previous_status: string | null;
  status: string | null;
  /** The current reason; for a removed file, the last one the baseline saw. */
  reason: string | null;
  change: ChangeKind;
}

/** The cells of a changes.csv row, in CHANGE_COLUMNS order. */
export function changeCells(row: ChangeRow): Cell[] {
  return [
    row.session_id,
    row.file_ingestion_id,
    row.name,
    row.previous_status,
    row.status,
    row.reason,
    row.change,
  ];
}
