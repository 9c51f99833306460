/** Chart colours: one meaning per colour across every chart, readable on white (WCAG AA for text). */

const STATUS_COLORS: Record<string, string> = {
  FINISHED: '#2e7d32',
  PENDING: '#b26a00',
  FAILED: '#c62828',
};

// Values the vendor adds later get colours too, in a fixed order so they do not change between runs.
const OTHER_COLORS = ['#5e35b1', '#00838f', '#6d4c41', '#546e7a', '#ad1457'];

/** The colour of an ingestion status; `index` picks one for unknown statuses. */
export function statusColor(status: string, index: number): string {
  return STATUS_COLORS[status] ?? OTHER_COLORS[index % OTHER_COLORS.length]!;
}

export const FAILURE_COLOR = '#c62828';
export const FILES_COLOR = '#1565c0';
export const SESSION_COLOR = '#ad1457';
