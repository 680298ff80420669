/** The largest |ms| a JavaScript Date holds (ECMA-262 TimeClip). */
const MAX_DATE_MS = 8.64e15;

/**
 * Unix seconds as ISO 8601, or null for null, NaN, ±Infinity and anything outside the Date
 * range. The one formatter of stored times on every read path: a row written by an older
 * version (or by hand) with an odd `ts` must give a null, never a RangeError and a 500.
 *
 * @example
 *   isoOrNull(0)       // '1970-01-01T00:00:00.000Z'
 *   isoOrNull(9e12)    // null (past the Date range)
 */
export function isoOrNull(unixSeconds: number | null | undefined): string | null {
  if (typeof unixSeconds !== 'number' || !Number.isFinite(unixSeconds)) return null;
  const ms = unixSeconds * 1000;
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
}
