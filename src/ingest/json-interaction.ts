import { INTERACTION_FIELD_NAMES, type ColumnFlags } from './columns.js';
import { validateInteractionInto, type MutableInteractionRow } from './interaction-row.js';
import type { RecordRules } from './record-rules.js';
import { jsonLineObject } from './json-line-object.js';

const pick = (obj: Record<string, unknown>, names: readonly string[]): unknown => {
  for (const n of names) if (obj[n] !== undefined) return obj[n];
  return undefined;
};

/**
 * Reads one JSON Lines interaction into `out`; values may be strings or numbers, and fields are
 * found by the usual names or the column flags. A time that is absent, null or "" makes the
 * row untimed: JSON objects leave out what they lack, unlike a CSV row, whose empty time cell
 * is a reject. Returns the reject reason, or undefined.
 */
export function jsonInteraction(line: string, flags: ColumnFlags, rules: RecordRules, out: MutableInteractionRow): string | undefined {
  const o = jsonLineObject(line);
  if (typeof o === 'string') return o;
  const names = (flag: string | undefined, field: keyof typeof INTERACTION_FIELD_NAMES): readonly string[] =>
    flag !== undefined ? [flag] : INTERACTION_FIELD_NAMES[field];
  const fields = [
    pick(o, names(flags.userCol, 'user')),
    pick(o, names(flags.itemCol, 'item')),
    pick(o, names(flags.timeCol, 'time')),
    pick(o, names(flags.ratingCol, 'rating')),
    pick(o, names(flags.eventCol, 'event')),
    flags.weightCol === undefined ? undefined : o[flags.weightCol],
  ];
  const text: (string | undefined)[] = [];
  for (const v of fields) {
    if (v === undefined || v === null) text.push(undefined);
    else if (typeof v === 'string') text.push(v);
    else if (typeof v === 'number') text.push(String(v));
    else return `bad value ${JSON.stringify(v)}`;
  }
  const time = text[2] === undefined || text[2].trim() === '' ? undefined : text[2];
  return validateInteractionInto(out, rules, text[0], text[1], time, text[3], text[4], text[5]);
}
