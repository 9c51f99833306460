import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { FILE_COLUMNS } from '../../lib/report/columns';
import { csvHeader, csvRows } from '../../lib/report/csv';

const parse = (text: string) => Papa.parse<string[]>(text, { newline: '\r\n' }).data;

describe('CSV encoding', () => {
  it('writes the header row with CRLF, also when there are no rows', () => {
    expect(csvHeader(FILE_COLUMNS)).toBe(
      'session_id,file_ingestion_id,name,ingestion_status,ingestion_status_reason\r\n',
    );
    expect(csvRows([])).toBe('');
  });

  it('quotes commas, quotes and newlines per RFC 4180 and round-trips nasty names', () => {
    const names = [
      'a,b.pdf',
      'say "hi".txt',
      'line\nbreak.md',
      'crlf\r\nname.doc',
      'Résumé ✓ 日本語 🚀.pdf',
      ' padded ',
    ];
    const text = csvRows(names.map((name) => ['s', 'f', name, 'FAILED', null]));
    expect(text).toContain('"a,b.pdf"');
    expect(text).toContain('"say ""hi"".txt"');
    const rows = parse(text.trimEnd());
    expect(rows.map((row) => row[2])).toEqual(names);
  });

  it('neutralises cells that a spreadsheet would run as a formula, but keeps numbers', () => {
    const text = csvRows([['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '\0x', -5, 0, 'ok=1']]);
    const [row] = parse(text.trimEnd());
    expect(row).toEqual(["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "'\0x", '-5', '0', 'ok=1']);
  });

  it('neutralises a formula followed by a newline (papaparse default misses it)', () => {
    const [row] = parse(csvRows([['=HYPERLINK("x")\nmore']]).trimEnd());
    expect(row![0]).toBe('\'=HYPERLINK("x")\nmore');
  });

  it('writes empty cells for null', () => {
    expect(csvRows([['a', null, 3]])).toBe('a,,3\r\n');
  });

  it('property: any strings round-trip, and no cell can start a formula', () => {
    // Rows as wide as the report's file rows (5 cells).
    const row = fc.array(fc.string({ unit: 'grapheme' }), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 5 }), (rows) => {
        const parsed = parse(csvRows(rows).slice(0, -2));
        expect(parsed.length).toBe(rows.length);
        parsed.forEach((cells, i) => {
          expect(cells.length).toBe(5);
          cells.forEach((cell, j) => {
            expect(cell).not.toMatch(/^[=+\-@\t\r\0]/);
            const original = rows[i]![j]!;
            expect(cell).toBe(/^[=+\-@\t\r\0]/.test(original) ? `'${original}` : original);
          });
        });
      }),
      { numRuns: 500 },
    );
  });
});
