/** Markdown tables and number formats for the benchmark's printout and results file. */

/** A markdown table, padded to line up in a terminal: the first column left, the others right. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const cell = (text: string, column: number) =>
    column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!);
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** 12,345 */
export const int = (n: number) => Math.round(n).toLocaleString('en');

/** 1.23 s */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** 123 MiB */
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** 2.1× */
export const ratio = (n: number) => `${n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)}×`;

/** 123,456 rows/s */
export const perSecond = (count: number, ms: number) => int((count / ms) * 1000);
