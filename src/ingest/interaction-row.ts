import { z } from 'zod';
// The constants module itself, not the store's index: this file also runs in the parse worker.
import { UNTIMED_TS } from '../store/untimed.js';
import { checkId, checkTime, checkValue, DEFAULT_RECORD_RULES, type RecordRules } from './record-rules.js';

/** A validated interaction, ready for the store. */
export interface InteractionRow {
  readonly user: string;
  readonly item: string;
  /** Unix seconds, or {@link UNTIMED_TS} when the source has no time column. */
  readonly ts: number;
  /** Event type ('' when the source has none); part of the dedupe key. */
  readonly event: string;
  /** The weight column's value, else the rating's, else 1. */
  readonly weight: number;
}

const INTEGER = /^-?\d{1,15}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses a timestamp: integer unix seconds, or ISO 8601 (a date, or a date and time with an
 * optional zone; no zone means UTC) floored to seconds. Returns NaN for anything else, so the
 * caller can reject the row with the raw text.
 *
 * @example
 *   parseTimestamp('881250949')              // 881250949
 *   parseTimestamp('1998-04-22T23:10:38Z')   // 893286638
 *   parseTimestamp('1998-04-22')             // 893203200
 */
export function parseTimestamp(text: string): number {
  const digits = parseDigits(text);
  if (!Number.isNaN(digits)) return digits;
  const s = text.trim();
  if (INTEGER.test(s)) return Number(s);
  const m = ISO_8601.exec(s);
  if (m === null) return NaN;
  const iso = s.length === 10 ? `${s}T00:00:00Z` : m[1] === undefined ? `${s.replace(' ', 'T')}Z` : s.replace(' ', 'T');
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : NaN;
}

/** Fast path for the common case, an unsigned integer of at most 15 digits with no spaces; NaN otherwise. */
function parseDigits(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return NaN;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** A reusable row that the hot path fills instead of allocating one object per row. */
export interface MutableInteractionRow {
  user: string;
  item: string;
  ts: number;
  event: string;
  weight: number;
}

/**
 * Validates the text fields of one interaction into `out` by `rules` ({@link RecordRules}, the
 * one home of each rule); returns undefined when the row is valid, else the reason it is
 * rejected. See {@link validateInteractionFields}.
 */
export function validateInteractionInto(
  out: MutableInteractionRow,
  rules: RecordRules,
  user: string | undefined,
  item: string | undefined,
  ts: string | undefined,
  rating: string | undefined,
  event: string | undefined,
  weight?: string,
): string | undefined {
  const u = user === undefined ? '' : user.trim();
  if (u === '') return 'missing user id';
  const i = item === undefined ? '' : item.trim();
  if (i === '') return 'missing item id';
  const e = event === undefined ? '' : event.trim();
  const badId = checkId(u, 'user id') ?? checkId(i, 'item id') ?? checkId(e, 'event');
  if (badId !== undefined) return badId;
  let t = UNTIMED_TS;
  if (ts !== undefined) {
    if (ts.trim() === '') return 'missing timestamp';
    t = parseTimestamp(ts);
    if (Number.isNaN(t)) return `bad timestamp "${ts}"`;
    const bad = checkTime(t, ts, rules.time);
    if (bad !== undefined) return bad;
  }
  let w: number | string = 1;
  // An empty cell is no value; a given weight wins over the rating, which is then not read.
  if (weight !== undefined && weight.trim() !== '') w = checkValue('weight', weight, rules.weight);
  else if (rating !== undefined && rating.trim() !== '') w = checkValue('rating', rating, rules.rating);
  if (typeof w === 'string') return w;
  out.user = u;
  out.item = i;
  out.ts = t;
  out.event = e;
  out.weight = w;
  return undefined;
}

/**
 * Validates the text fields of one interaction (as read from a file) and returns either the
 * row or the reason it is rejected. `ts`, `rating`, `event` and `weight` are undefined when
 * the source has no such column; an undefined `ts` makes the row untimed ({@link UNTIMED_TS}),
 * an empty one is rejected. A given `weight` wins over `rating`. Pure, and cheap enough for
 * the ingest hot path.
 */
export function validateInteractionFields(
  user: string | undefined,
  item: string | undefined,
  ts: string | undefined,
  rating: string | undefined,
  event: string | undefined,
  weight?: string,
  rules: RecordRules = DEFAULT_RECORD_RULES,
): InteractionRow | string {
  const row: MutableInteractionRow = { user: '', item: '', ts: 0, event: '', weight: 1 };
  return validateInteractionInto(row, rules, user, item, ts, rating, event, weight) ?? row;
}

const id = z.union([z.string(), z.number().finite()]).transform(String);

/**
 * One interaction as the HTTP API (and JSON Lines files) give it. Ids may be strings or
 * numbers; `ts` is unix seconds or an ISO 8601 string and defaults to the time of the write;
 * `weight` (alias `rating`) defaults to 1.
 */
export const interactionInputSchema = z.object({
  user: id,
  item: id,
  ts: z.union([z.number(), z.string()]).optional(),
  event: z.string().optional(),
  weight: z.number().optional(),
  rating: z.number().optional(),
});

/** The input type of {@link interactionInputSchema}. */
export type InteractionInput = z.input<typeof interactionInputSchema>;

/**
 * Validates one API/JSON interaction with the same rules as file rows. `now` (unix seconds)
 * is used when `ts` is absent.
 */
export function validateInteractionInput(raw: unknown, now: number, rules: RecordRules = DEFAULT_RECORD_RULES): InteractionRow | string {
  const parsed = interactionInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue.path.join('.') || 'row'}: ${issue.message}`;
  }
  const r = parsed.data;
  if (typeof r.ts === 'number' && !Number.isSafeInteger(r.ts)) return `bad timestamp "${r.ts}"`;
  const ts = r.ts === undefined ? String(now) : String(r.ts);
  const text = (x: number | undefined): string | undefined => (x === undefined ? undefined : String(x));
  return validateInteractionFields(r.user, r.item, ts, text(r.rating), r.event, text(r.weight), rules);
}
