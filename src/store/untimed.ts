/**
 * The `ts` stored for an interaction whose source gives no time. The interactions table is
 * keyed (ts, user, item, event) with ts NOT NULL, so an untimed interaction still needs an
 * integer there: this one is a storage key only, never a time. It lies far outside the
 * accepted range (|t| ≤ {@link MAX_ABS_TIMESTAMP}), so no real timestamp can equal it; it
 * keeps untimed rows deduplicated on (user, item, event) and sorted before every timed row.
 * Readers turn it into NaN (or null) and must never format it as a date.
 */
export const UNTIMED_TS = -9007199254740991;

/**
 * The largest |timestamp| (unix seconds) any `--time-range` may allow (the default is
 * 1970..2100; `ingest/record-rules.ts` holds the rule): the range of a JavaScript Date
 * (±8.64e15 ms), and a bound that keeps every real timestamp clear of {@link UNTIMED_TS}.
 * Readers still format stored times with `isoOrNull`, since older versions stored wider ones.
 */
export const MAX_ABS_TIMESTAMP = 8.64e12;
