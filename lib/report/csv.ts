/**
 * CSV encoding for the report, with papaparse: RFC 4180 quoting, CRLF line ends, UTF-8.
 *
 * Spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`, tab, CR or NUL
 * is prefixed with `'` so Excel, Sheets and LibreOffice show it as text. Numbers are never
 * touched, so `-3` stays a number. (papaparse's own default pattern ends in `.*$`, which misses
 * a formula followed by a newline, and omits NUL; hence our own pattern.)
 */
import Papa from 'papaparse';
import type { Cell } from './columns';

const FORMULA_START = /^[=+\-@\t\r\0]/;
const NEWLINE = '\r\n';

/** The header row, with its line end. */
export function csvHeader(columns: readonly string[]): string {
  return encode([columns as string[]]);
}

/** Rows, each ending in CRLF; '' for no rows. */
export function csvRows(rows: readonly (readonly Cell[])[]): string {
  return rows.length === 0 ? '' : encode(rows as Cell[][]);
}

function encode(rows: Cell[][]): string {
  return Papa.unparse(rows, { newline: NEWLINE, escapeFormulae: FORMULA_START, quotes: false }) + NEWLINE;
}
