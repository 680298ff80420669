import { DEFAULT_TIE_SEED } from './time-order.js';

/** One interaction as a user's live history holds it: the item and its time (NaN: untimed). */
export interface TimedItemRef {
  readonly item: string;
  readonly ts: number;
}

/** A seeded 32-bit hash of a string (FNV-1a, then splitmix's finaliser with the seed mixed in). */
function seededHash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A user's items oldest first, in the time order training uses (time-order.ts): by time, an
 * untimed interaction older than every timed one, and ties broken by a seeded key rather than by
 * any id order. Training draws that key per interaction of the whole log, which one user's rows
 * cannot reproduce; here it is a seeded hash of the item, so that the same history always gives
 * the same order and the items kept by the tower's `historyMaxLength` cap are not chosen by id.
 * Only which tied items fall inside the cap can differ from training's; the bag is pooled.
 *
 * @example
 *   itemsInTime([{ item: 'b', ts: 2 }, { item: 'a', ts: 1 }, { item: 'c', ts: NaN }]); // ['c', 'a', 'b']
 */
export function itemsInTime(interactions: readonly TimedItemRef[], seed = DEFAULT_TIE_SEED): string[] {
  const keyed = interactions.map((x) => ({ item: x.item, time: Number.isNaN(x.ts) ? -Infinity : x.ts, tie: seededHash(x.item, seed) }));
  keyed.sort((a, b) => (a.time === b.time ? a.tie - b.tie : a.time < b.time ? -1 : 1));
  return keyed.map((x) => x.item);
}
