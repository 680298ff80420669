import { UNTIMED_TS } from '../store/untimed.js';
import type { InteractionColumnMap } from './columns.js';
import { MAX_ID_BYTES, type NumberRange, type RecordRules } from './record-rules.js';

/** Where the id fields of a line are (byte offsets, end exclusive) and its parsed numbers. */
export interface ByteFields {
  userStart: number;
  userEnd: number;
  itemStart: number;
  itemEnd: number;
  eventStart: number;
  eventEnd: number;
  ts: number;
  weight: number;
}

/**
 * The byte-level fast path of delimited interaction lines, `buf[a..b)`: succeeds (true) only
 * for a plain line (printable ASCII without spaces or quotes, exactly `width` fields, non-empty
 * ids of at most {@link MAX_ID_BYTES} bytes, a timestamp of 1–15 digits within `rules.time` or
 * no time column at all, a rating and a weight each empty or 1–15 digits with at most one point,
 * the one stored within its range), for which it gives exactly what the string path would.
 * Anything else returns false and the caller decodes the line and takes the string path
 * ({@link scanInteractionLine}), which applies {@link RecordRules} and words the reject reason,
 * so there is one set of validation rules.
 */
export function scanInteractionBytes(
  buf: Uint8Array,
  a: number,
  b: number,
  delimiter: number,
  width: number,
  c: InteractionColumnMap,
  rules: RecordRules,
  out: ByteFields,
): boolean {
  let field = 0;
  let start = a;
  out.userStart = out.userEnd = out.itemStart = out.itemEnd = out.eventStart = out.eventEnd = 0;
  // The stored value and the range it must be in (none for the default 1); a weight wins over the rating.
  let value = 1;
  let range: NumberRange | undefined;
  let weighted = false;
  out.ts = c.time < 0 ? UNTIMED_TS : NaN;
  for (let k = a; k <= b; k++) {
    const ch = k < b ? buf[k] : delimiter;
    if (ch !== delimiter) {
      if (ch <= 32 || ch >= 127 || ch === 34) return false;
      continue;
    }
    if (field === c.user) {
      out.userStart = start;
      out.userEnd = k;
    } else if (field === c.item) {
      out.itemStart = start;
      out.itemEnd = k;
    } else if (field === c.time) {
      out.ts = parseDecimal(buf, start, k, false);
    } else if (field === c.rating) {
      if (k > start && !weighted) {
        value = parseDecimal(buf, start, k, true);
        range = rules.rating;
      }
    } else if (field === c.weight) {
      if (k > start) {
        value = parseDecimal(buf, start, k, true);
        range = rules.weight;
        weighted = true;
      }
    } else if (field === c.event) {
      out.eventStart = start;
      out.eventEnd = k;
    }
    field++;
    start = k + 1;
  }
  out.weight = value;
  // Comparisons with NaN are false, so an unparsed number fails its range.
  const idsFit = out.userEnd - out.userStart <= MAX_ID_BYTES && out.itemEnd - out.itemStart <= MAX_ID_BYTES && out.eventEnd - out.eventStart <= MAX_ID_BYTES;
  const timeFits = c.time < 0 || (out.ts >= rules.time.min && out.ts <= rules.time.max);
  const valueFits = range === undefined || (value >= range.min && value <= range.max);
  return field === width && out.userEnd > out.userStart && out.itemEnd > out.itemStart && idsFit && timeFits && valueFits;
}

/**
 * 1–15 digits (and, when `point`, at most one '.'), else NaN. m / 10^f of two exact doubles is
 * correctly rounded, so it equals `Number(text)`.
 */
function parseDecimal(buf: Uint8Array, a: number, b: number, point: boolean): number {
  let v = 0;
  let digits = 0;
  let frac = -1;
  for (let k = a; k < b; k++) {
    const d = buf[k] - 48;
    if (d >= 0 && d <= 9) {
      v = v * 10 + d;
      digits++;
      if (frac >= 0) frac++;
    } else if (point && buf[k] === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  return frac > 0 ? v / 10 ** frac : v;
}
