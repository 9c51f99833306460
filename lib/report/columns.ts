/**
 * The report's CSV columns, in contract order. Analysts build spreadsheets and queries on
 * these files: never reorder or rename a column, only append (and say so in the README).
 */
export const SESSION_COLUMNS = [
  'session_id',
  'status',
  'write_mode',
  'created_at',
  'expires_at',
  'created_by',
  'created_by_user_id',
  'total_files',
  'pending',
  'failed',
  'finished',
  'error',
  // Files in a status with no column of its own (one the vendor added later), so that
  // pending + failed + finished + other = total_files; summary.json names each such status.
  'other',
  // true when the session still has pending files and is older than the stuck threshold.
  'stuck',
] as const;

/** Columns of `files.csv` (mode full) and `failed_files.csv` (both modes). */
export const FILE_COLUMNS = [
  'session_id',
  'file_ingestion_id',
  'name',
  'ingestion_status',
  'ingestion_status_reason',
] as const;

/** The files of one run folder, in the order they are published (summary.json last). */
export const REPORT_FILES = {
  sessions: 'sessions.csv',
  files: 'files.csv',
  failedFiles: 'failed_files.csv',
  /** Only when the run had a previous run to compare with. */
  changes: 'changes.csv',
  summary: 'summary.json',
} as const;

export type ReportFileName = (typeof REPORT_FILES)[keyof typeof REPORT_FILES];
export const CSV_FILE_NAMES: readonly ReportFileName[] = [
  REPORT_FILES.sessions,
  REPORT_FILES.files,
  REPORT_FILES.failedFiles,
  REPORT_FILES.changes,
];

/** A CSV cell: text, a number (kept a number), or empty. */
export type Cell = string | number | null;
