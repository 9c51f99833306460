/**
 * Reads the report's own file rows (files.csv / failed_files.csv: five cells, CRLF line ends,
 * RFC 4180 quoting) straight from their bytes. The comparison reads two million rows at a
 * million files; with papaparse (UTF-8 decoding, an array of cells per row, then a record)
 * reading took half of the comparison's time, and what it kept grew the heap. Here:
 * - bytes become text one byte per character (latin1): no decoding, half the memory of text
 *   with any non-ASCII name in it, and offsets are byte offsets. Commas, quotes and line breaks
 *   are ASCII and never part of a multi-byte UTF-8 character, so rows and cells are found
 *   exactly; equal bytes are equal text, so keys compare as well. A cell is decoded as UTF-8
 *   only when it leaves (a changed row's record, a session ID, a status);
 * - a row costs its key (a slice of the text) and its offset: the status is one of a few shared
 *   strings, the session ID one string per session, the other cells are read only for a row
 *   that changed;
 * - most rows have no quote: their cells are found with `indexOf` alone; a row with a quote is
 *   read cell by cell (a quoted cell may hold commas, quotes and line breaks).
 */
import { FILE_COLUMNS } from '../columns';
import type { FileRecord } from './columns';
import { type FileRows, nameKey } from './file-rows';
import { utf8 } from './latin1';

const CELLS = FILE_COLUMNS.length;
const CRLF = '\r\n';

/** Rows of text fed chunk by chunk; a row cut at the end of a chunk is finished with the next. */
export class FileRowScanner {
  private partial = '';
  private sessionId = '';
  /** The session ID as the text carries it. */
  private sessionRaw = '';
  /** Statuses seen: as the text carries them, and as UTF-8. */
  private readonly statuses: string[] = [];
  private readonly decodedStatuses: string[] = [];

  /** `source` names the file in errors. */
  constructor(private readonly source: string) {}

  /** The complete rows of `text` (after what was left of the previous chunk). */
  rows(text: string): ScannedRows {
    const rows = new ScannedRows(text, this.source);
    const from = this.partial === '' ? 0 : this.finishPartial(rows);
    this.partial = from === -1 ? this.partial + text : text.substring(this.scan(rows, from, false));
    return rows;
  }

  /** The last row, when the text does not end in a line break. */
  end(): ScannedRows {
    const rows = new ScannedRows(this.partial, this.source);
    if (this.partial !== '') this.scan(rows, 0, true);
    this.partial = '';
    return rows;
  }

  /**
   * Adds the row cut at the end of the previous chunk, completed from the start of `rows.text`;
   * returns where the rest of the text starts, or -1 when the row goes on past it. (Scanning
   * `partial + text` whole would cost three times as much: a concatenation stays a rope, and
   * every search in it pays for that.)
   */
  private finishPartial(rows: ScannedRows): number {
    const text = rows.text;
    for (let lineEnd = text.indexOf(CRLF); lineEnd !== -1; lineEnd = text.indexOf(CRLF, lineEnd + 2)) {
      const head = new ScannedRows(this.partial + text.substring(0, lineEnd + 2), this.source);
      if (this.scan(head, 0, false) < head.text.length) continue;
      for (let index = 0; index < head.length; index++) rows.addRecord(-1, head.keyed(index));
      return lineEnd + 2;
    }
    return -1;
  }

  /** Adds the rows of `rows.text` from `from`; returns where the first incomplete row starts. */
  private scan(rows: ScannedRows, from: number, last: boolean): number {
    const input = rows.text;
    let at = from;
    let quote = input.indexOf('"', from);
    while (at < input.length) {
      let lineEnd = input.indexOf(CRLF, at);
      if (lineEnd === -1) {
        if (!last) return at;
        lineEnd = input.length;
      }
      if (quote !== -1 && quote < at) quote = input.indexOf('"', at);
      if (quote !== -1 && quote < lineEnd) {
        const cut = readQuotedRow(input, at, last, this.source);
        if (!cut) return at;
        rows.addRecord(at, this.decoded(cut.record));
        at = cut.next;
        continue;
      }
      if (lineEnd > at) this.plainRow(rows, at, lineEnd);
      at = lineEnd + 2;
    }
    return input.length;
  }

  /** A row without a quote: its cells lie between commas; only the key and status are read now. */
  private plainRow(rows: ScannedRows, start: number, end: number): void {
    const input = rows.text;
    const [c1, c2, c3, c4] = commas(input, start, end, this.source);
    const key = c2 > c1 + 1 ? input.substring(c1 + 1, c2) : nameKey(input.substring(c2 + 1, c3));
    rows.addPlain(start, this.session(input, start, c1), key, this.status(input, c3 + 1, c4));
  }

  /** The session ID, one string for the rows of a session (they come grouped). */
  private session(input: string, start: number, end: number): string {
    const raw = this.sessionRaw;
    if (end - start === raw.length && input.startsWith(raw, start)) return this.sessionId;
    this.sessionRaw = input.substring(start, end);
    this.sessionId = utf8(this.sessionRaw);
    return this.sessionId;
  }

  /** A status: one of the few seen so far (past a bound, a damaged file, simply not shared). */
  private status(input: string, start: number, end: number): string {
    const { statuses } = this;
    for (let index = 0; index < statuses.length; index++) {
      const known = statuses[index]!;
      if (known.length === end - start && input.startsWith(known, start)) return this.decodedStatuses[index]!;
    }
    const status = input.substring(start, end);
    if (statuses.length < 16) {
      statuses.push(status);
      this.decodedStatuses.push(utf8(status));
    }
    return utf8(status);
  }

  /** A quoted row's record, its cells decoded; its key stays as the text carries it. */
  private decoded(record: FileRecord): { record: FileRecord; key: string } {
    const key = record.file_ingestion_id ?? nameKey(record.name);
    const { file_ingestion_id: id, reason } = record;
    return {
      key,
      record: {
        session_id: utf8(record.session_id),
        file_ingestion_id: id === null ? null : utf8(id),
        name: utf8(record.name),
        status: this.status(record.status, 0, record.status.length),
        reason: reason === null ? null : utf8(reason),
      },
    };
  }
}

/** The rows of one chunk of text: per row its offset, session ID, key and status. */
export class ScannedRows implements FileRows {
  private readonly starts: number[] = [];
  private readonly sessionIds: string[] = [];
  private readonly keys: string[] = [];
  private readonly statuses: string[] = [];
  /** Rows with a quote, read whole when scanned (few). */
  private readonly quoted = new Map<number, FileRecord>();

  constructor(
    readonly text: string,
    private readonly source: string,
  ) {}

  get length(): number {
    return this.starts.length;
  }

  addPlain(start: number, sessionId: string, key: string, status: string): void {
    this.starts.push(start);
    this.sessionIds.push(sessionId);
    this.keys.push(key);
    this.statuses.push(status);
  }

  addRecord(start: number, { record, key }: { record: FileRecord; key: string }): void {
    this.quoted.set(this.starts.length, record);
    this.addPlain(start, record.session_id, key, record.status);
  }

  /** Row `index` as a record with its key (to move it into another batch). */
  keyed(index: number): { record: FileRecord; key: string } {
    return { record: this.record(index), key: this.keys[index]! };
  }

  sessionId(index: number): string {
    return this.sessionIds[index]!;
  }
  key(index: number): string {
    return this.keys[index]!;
  }
  status(index: number): string {
    return this.statuses[index]!;
  }

  /** The whole record of row `index`, read again from the text. */
  record(index: number): FileRecord {
    const quoted = this.quoted.get(index);
    if (quoted) return quoted;
    const input = this.text;
    const start = this.starts[index]!;
    const lineEnd = input.indexOf(CRLF, start);
    const end = lineEnd === -1 ? input.length : lineEnd;
    const [c1, c2, c3, c4] = commas(input, start, end, this.source);
    return {
      session_id: this.sessionIds[index]!,
      file_ingestion_id: c2 > c1 + 1 ? utf8(input.substring(c1 + 1, c2)) : null,
      name: utf8(input.substring(c2 + 1, c3)),
      status: this.statuses[index]!,
      reason: end > c4 + 1 ? utf8(input.substring(c4 + 1, end)) : null,
    };
  }
}

/** The four commas of a quote-free row from `start` to `end`; a row of another width is an error. */
function commas(input: string, start: number, end: number, source: string): [number, number, number, number] {
  const c1 = input.indexOf(',', start);
  const c2 = c1 === -1 ? -1 : input.indexOf(',', c1 + 1);
  const c3 = c2 === -1 ? -1 : input.indexOf(',', c2 + 1);
  const c4 = c3 === -1 ? -1 : input.indexOf(',', c3 + 1);
  const extra = c4 === -1 ? -1 : input.indexOf(',', c4 + 1);
  if (c4 === -1 || c4 >= end || (extra !== -1 && extra < end)) {
    throw widthError(input.substring(start, end).split(',').length, source);
  }
  return [c1, c2, c3, c4];
}

function widthError(cells: number, source: string): Error {
  return new Error(`${source}: a row has ${cells} cells, expected ${CELLS}`);
}

/** A row with a quote, cell by cell; undefined when it is cut (more text is needed). */
function readQuotedRow(
  input: string,
  start: number,
  last: boolean,
  source: string,
): { record: FileRecord; next: number } | undefined {
  const cells: string[] = [];
  let at = start;
  for (;;) {
    const cell = input[at] === '"' ? quotedCell(input, at, last) : plainCell(input, at);
    if (!cell) {
      if (!last) return undefined;
      throw new Error(`${source}: a quoted cell is not closed`);
    }
    cells.push(cell.text);
    at = cell.next;
    if (input[at] === ',') {
      at++;
      continue;
    }
    if (at < input.length && !input.startsWith(CRLF, at))
      throw new Error(`${source}: text after a quoted cell`);
    if (at === input.length && !last) return undefined;
    if (cells.length !== CELLS) throw widthError(cells.length, source);
    const [session_id, id, name, status, reason] = cells as [string, string, string, string, string];
    const record = { session_id, file_ingestion_id: id || null, name, status, reason: reason || null };
    return { record, next: Math.min(at + 2, input.length) };
  }
}

type Cell = { text: string; next: number } | undefined;

/** An unquoted cell from `at` to the next comma or line end (a quote inside it is text). */
function plainCell(input: string, at: number): Cell {
  let end = input.length;
  const comma = input.indexOf(',', at);
  if (comma !== -1) end = comma;
  const lineEnd = input.indexOf(CRLF, at);
  if (lineEnd !== -1 && lineEnd < end) end = lineEnd;
  return { text: input.substring(at, end), next: end };
}

/**
 * A quoted cell starting at `at` (its opening quote); undefined when its closing quote is not
 * in `input` (or, unless `last`, may be the first of an escaped pair cut at the end).
 */
function quotedCell(input: string, at: number, last: boolean): Cell {
  let from = at + 1;
  for (;;) {
    const quote = input.indexOf('"', from);
    if (quote === -1 || (quote === input.length - 1 && !last)) return undefined;
    if (input[quote + 1] === '"') {
      from = quote + 2;
      continue;
    }
    return { text: input.substring(at + 1, quote).replaceAll('""', '"'), next: quote + 1 };
  }
}
