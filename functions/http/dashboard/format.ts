/** How numbers, shares and instants read on the dashboard (fixed locale: the page is server-rendered). */

const integer = new Intl.NumberFormat('en-US');

/** 12,777 */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** 14.8 % (one decimal; "0 %" for nothing). */
export function formatShare(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0 %';
  return `${((part / whole) * 100).toFixed(1)} %`;
}

/** 2026-11-23 07:06 UTC */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 11-23 07:06 (a trend axis label). */
export function formatShortInstant(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(5, 16).replace('T', ' ');
}

/** `text` cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const HOUR_MS = 3_600_000;

/** How long ago `iso` was at `nowIso`, as a person says it: "3 d 4 h", "5 h 12 min", "40 min"; "" if unknown. */
export function formatAge(iso: string, nowIso: string): string {
  const ms = Date.parse(nowIso) - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const days = Math.floor(ms / (24 * HOUR_MS));
  const hours = Math.floor((ms % (24 * HOUR_MS)) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / 60_000);
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}
