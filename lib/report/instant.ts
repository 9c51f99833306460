/**
 * Orders API timestamps by the instant they name. Strings alone won't do: the API sends
 * microseconds, and older versions wrote `+00:00` where newer ones write `Z`.
 */
export function compareInstants(a: string, b: string): number {
  const byMillis = Date.parse(a) - Date.parse(b);
  if (byMillis !== 0) return Math.sign(byMillis);
  const sub = subMillis(a) - subMillis(b);
  return Math.sign(sub);
}

/** The digits beyond milliseconds (e.g. the 456 of .123456), as a number of nanoseconds. */
function subMillis(iso: string): number {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return Number(fraction.padEnd(9, '0').slice(3, 9));
}
