/**
 * Timestamps as the API prints them (pydantic v2: `Z`, and six fractional digits only when
 * the microseconds are not zero) and the microsecond keys the emulator sorts them by.
 */
import { AsciiWriter } from './ascii';

/** Microseconds in one day, for readable arithmetic in the generator. */
export const MICROS_PER_DAY = 86_400_000_000;

const writer = new AsciiWriter();
// Generating a million timestamps is the generator's hot path: format the date once per day.
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/** `2026-11-20T10:00:00Z` or `2026-11-20T10:00:00.123456Z` for a count of microseconds since the epoch. */
export function formatTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const day = Math.floor(seconds / 86_400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const inDay = seconds - day * 86_400;
  writer
    .reset()
    .text(cachedDayPrefix)
    .digits(Math.floor(inDay / 3600), 2)
    .text(':');
  writer
    .digits(Math.floor((inDay % 3600) / 60), 2)
    .text(':')
    .digits(inDay % 60, 2);
  if (fraction !== 0) writer.text('.').digits(fraction, 6);
  return writer.text('Z').toString();
}

/**
 * Microseconds since the epoch for an ISO timestamp (`Z` or an offset, any number of fractional
 * digits), or null when it cannot be read: such values then sort like SQL NULLs.
 */
export function timestampMicros(iso: string | null): number | null {
  if (iso === null) return null;
  const fraction = /\.(\d+)/.exec(iso);
  const withoutFraction = fraction ? iso.replace(fraction[0], '') : iso;
  const millis = Date.parse(withoutFraction);
  if (Number.isNaN(millis)) return null;
  const micros = fraction ? Number(fraction[1]!.slice(0, 6).padEnd(6, '0')) : 0;
  return millis * 1000 + micros;
}
