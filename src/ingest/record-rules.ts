import { UserError } from '../common/user-error.js';
// The constants module itself, not the store's index: this file also runs in the parse worker.
import { MAX_ABS_TIMESTAMP } from '../store/untimed.js';

/**
 * The domain rules of one record, shared by file ingest (both the byte fast path and the string
 * path), JSON Lines and `POST /v1/interactions`: the one home of each rule. The ranges are
 * inclusive; a worker thread receives them as plain data.
 */
export interface RecordRules {
  /** Accepted timestamps, unix seconds, both ends included (`--time-range`). */
  readonly time: NumberRange;
  /** Accepted ratings (`--rating-range`); a rating is stored as the weight, so never negative by default. */
  readonly rating: NumberRange;
  /** Accepted weights (`--weight-range`); never negative. */
  readonly weight: NumberRange;
}

/** An inclusive range and the text it was given as, which reject reasons quote. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly text: string;
}

/**
 * The largest |rating| or |weight| accepted: beyond it sums and products over a user's history
 * lose integer precision or overflow (±1e308 doubles to Infinity), and the byte fast path's 15
 * digits stay below it.
 */
export const MAX_ABS_VALUE = 1e15;

/** 1970-01-01 .. 2100-01-01 UTC. */
export const DEFAULT_TIME_RANGE: NumberRange = { min: 0, max: 4_102_444_800, text: '1970-01-01..2100-01-01' };

/** The rules when no flag is given. */
export const DEFAULT_RECORD_RULES: RecordRules = {
  time: DEFAULT_TIME_RANGE,
  rating: { min: 0, max: MAX_ABS_VALUE, text: '0..1e15' },
  weight: { min: 0, max: MAX_ABS_VALUE, text: '0..1e15' },
};

/** Why a timestamp (already parsed; `raw` is the text given) is refused, or undefined when it is in range. */
export function checkTime(t: number, raw: string, range: NumberRange): string | undefined {
  return t >= range.min && t <= range.max ? undefined : `timestamp ${raw.trim()} out of range (--time-range ${range.text})`;
}

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A decimal number (optional sign, digits, point, exponent; surrounding spaces allowed), or
 * NaN: never hex (`0x10`), binary, `Infinity` or an empty string, which `Number()` would read.
 *
 * @example
 *   parseDecimal(' 4.5 ')   // 4.5
 *   parseDecimal('0x10')    // NaN
 */
export function parseDecimal(text: string): number {
  const s = text.trim();
  return DECIMAL.test(s) ? Number(s) : NaN;
}

/**
 * A rating or weight cell as a number within `range`, or the reject reason naming the field and
 * the bound: only the decimals of {@link parseDecimal} with |x| ≤ {@link MAX_ABS_VALUE}.
 */
export function checkValue(field: 'rating' | 'weight', raw: string, range: NumberRange): number | string {
  const x = parseDecimal(raw);
  if (Number.isNaN(x)) return `bad ${field} "${raw}"`;
  // 1e309 parses to Infinity: out of range like 1e308.
  if (Math.abs(x) > MAX_ABS_VALUE) return `${field} ${raw.trim()} out of range (|x| ≤ 1e15)`;
  if (x < range.min || x > range.max) return `${field} ${raw.trim()} out of range (--${field}-range ${range.text})`;
  return x;
}

/** The longest id accepted, in UTF-8 bytes. */
export const MAX_ID_BYTES = 512;

/**
 * Why an id (already trimmed) is refused, or undefined: at most {@link MAX_ID_BYTES} UTF-8 bytes,
 * no control characters (C0, DEL, C1: NUL and tab included), no bidi overrides or isolates
 * (U+202A–U+202E, U+2066–U+2069) and no zero-width characters (U+200B–U+200D, U+FEFF), which
 * make two ids look alike or reorder what a console shows. `what` names the field.
 */
export function checkId(id: string, what: string): string | undefined {
  const n = id.length;
  // A UTF-16 unit is 1–3 UTF-8 bytes (a surrogate pair is 4 for 2), so short ids skip the count.
  if (n > MAX_ID_BYTES || (n * 3 > MAX_ID_BYTES && Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES)) {
    return `${what} too long (over ${MAX_ID_BYTES} UTF-8 bytes)`;
  }
  for (let k = 0; k < n; k++) {
    const c = id.charCodeAt(k);
    if (c >= 0x20 && c < 0x7f) continue;
    const rule = forbiddenRule(c);
    if (rule !== undefined) return `${what} has ${rule} U+${c.toString(16).toUpperCase().padStart(4, '0')} at ${k}`;
  }
  return undefined;
}

/** The rule a UTF-16 unit breaks in an id, or undefined. */
function forbiddenRule(c: number): string | undefined {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return 'a control character';
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return 'a bidi control';
  if ((c >= 0x200b && c <= 0x200d) || c === 0xfeff) return 'a zero-width character';
  return undefined;
}

/** Names that are members of every object: a feature of that name would read or replace them. */
const OBJECT_INTERNALS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why a feature name is refused (`__proto__`, `constructor`, `prototype`, `toString`, …), or undefined. */
export function checkFeatureName(name: string): string | undefined {
  return OBJECT_INTERNALS.has(name) ? `feature name "${name}" is reserved (it names an object internal)` : undefined;
}

/** The first name that `names` holds twice (case-insensitive, as columns are looked up), with both positions; empty names aside. */
export function duplicateColumn(names: readonly string[]): { readonly name: string; readonly first: number; readonly second: number } | undefined {
  const seen = new Map<string, number>();
  for (let k = 0; k < names.length; k++) {
    const key = names[k].toLowerCase();
    if (key === '') continue;
    const first = seen.get(key);
    if (first !== undefined) return { name: names[k], first: first + 1, second: k + 1 };
    seen.set(key, k);
  }
  return undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z?)?$/;

/** One end of a `--time-range`: unix seconds, or a UTC date (time optional). */
function parseTimeBound(text: string, flag: string): number {
  const s = text.trim();
  const t = /^-?\d{1,15}$/.test(s) ? Number(s) : DATE.test(s) ? Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s.endsWith('Z') ? s : `${s}Z`) / 1000 : NaN;
  if (!Number.isFinite(t)) throw new UserError(`--${flag}: "${text}" is not a date (YYYY-MM-DD) or unix seconds`);
  // Within the Date range, so that every stored time formats and none meets UNTIMED_TS.
  if (Math.abs(t) > MAX_ABS_TIMESTAMP) throw new UserError(`--${flag}: "${text}" is outside the Date range (|t| ≤ 8.64e12 s)`);
  return Math.floor(t);
}

/**
 * Parses a `MIN..MAX` flag value into a range. `--time-range` takes dates or unix seconds;
 * `--rating-range` and `--weight-range` take decimals (|x| ≤ 1e15; a weight never below 0).
 * Throws a {@link UserError} (exit 2) naming the flag.
 *
 * @example
 *   parseRangeFlag('time-range', '2000-01-01..2030-01-01')   // { min: 946684800, max: 1893456000, ... }
 *   parseRangeFlag('rating-range', '-10..10')
 */
export function parseRangeFlag(flag: 'time-range' | 'rating-range' | 'weight-range', text: string): NumberRange {
  const parts = text.split('..');
  if (parts.length !== 2) throw new UserError(`--${flag}: expected MIN..MAX, got "${text}"`);
  const bound = (s: string): number => {
    if (flag === 'time-range') return parseTimeBound(s, flag);
    const x = parseDecimal(s);
    if (!Number.isFinite(x) || Math.abs(x) > MAX_ABS_VALUE) throw new UserError(`--${flag}: "${s}" is not a decimal with |x| ≤ 1e15`);
    return x;
  };
  const [min, max] = parts.map(bound);
  if (min > max) throw new UserError(`--${flag}: MIN is after MAX in "${text}"`);
  if (flag === 'weight-range' && min < 0) throw new UserError(`--${flag}: a weight is never negative (got "${text}")`);
  return { min, max, text: text.trim() };
}

/** The rules given by the `--time-range`, `--rating-range` and `--weight-range` flags (each optional). */
export function recordRulesOf(flags: { readonly timeRange?: string; readonly ratingRange?: string; readonly weightRange?: string }): RecordRules {
  const d = DEFAULT_RECORD_RULES;
  return {
    time: flags.timeRange === undefined ? d.time : parseRangeFlag('time-range', flags.timeRange),
    rating: flags.ratingRange === undefined ? d.rating : parseRangeFlag('rating-range', flags.ratingRange),
    weight: flags.weightRange === undefined ? d.weight : parseRangeFlag('weight-range', flags.weightRange),
  };
}
