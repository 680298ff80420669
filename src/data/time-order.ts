import { createRng } from '../common/rng.js';
import type { InteractionColumns } from '../store/interaction-log.js';

/**
 * The one definition of "in time order" that the split, the training histories and the served
 * histories share. Interactions are ordered by time; an untimed one (ts NaN) counts as older than
 * every timed one; and ties (equal times, or no time at all) are broken by a seeded shuffle,
 * never by item or user index: an id order is not a time order, and a model that learns it
 * learns nothing (the cause of untimed logs scoring below most-popular).
 */
export interface TimeOrder {
  /** Sort key per interaction: the time, −∞ when untimed. */
  readonly time: Float64Array;
  /** A seeded random key per interaction that breaks ties in `time`. */
  readonly tieBreak: Float64Array;
}

/** The default seed of tie-breaking: fixed, so that a snapshot is reproducible. */
export const DEFAULT_TIE_SEED = 2024;

/** Builds the sort keys of {@link TimeOrder} for a log's interactions. */
export function timeOrderOf(interactions: Pick<InteractionColumns, 'ts'>, seed = DEFAULT_TIE_SEED): TimeOrder {
  const n = interactions.ts.length;
  const rng = createRng(seed);
  const time = new Float64Array(n);
  const tieBreak = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const t = interactions.ts[k];
    time[k] = Number.isNaN(t) ? -Infinity : t;
    tieBreak[k] = rng.next();
  }
  return { time, tieBreak };
}

/** Compares interactions a and b in time order (ties by the seeded key, then by position). */
export function compareInTime(order: TimeOrder, a: number, b: number): number {
  return order.time[a] - order.time[b] || order.tieBreak[a] - order.tieBreak[b] || a - b;
}

/**
 * Per user, their interaction indices in time order (each list sorted with
 * {@link compareInTime}); `keep` filters which interactions count (default all).
 */
export function perUserInTime(
  interactions: Pick<InteractionColumns, 'user' | 'ts'>,
  numUsers: number,
  order: TimeOrder,
  keep: (k: number) => boolean = () => true,
): number[][] {
  const byUser: number[][] = Array.from({ length: numUsers }, () => []);
  for (let k = 0; k < interactions.user.length; k++) if (keep(k)) byUser[interactions.user[k]].push(k);
  for (const list of byUser) list.sort((a, b) => compareInTime(order, a, b));
  return byUser;
}

/** How much of a log's time can be trusted to order a user's interactions. */
export interface TimingSummary {
  /** Share of interactions without a time. */
  readonly untimedShare: number;
  /** Share of timed interactions whose time equals another interaction of the same user. */
  readonly tiedShare: number;
  /**
   * Of the (earlier item, later item) pairs within users' time-ordered lists, the share whose
   * order the times do not tell (tied or untimed): 0 when every time is distinct, 1 untimed.
   * It is what decides whether "the items before the target" means anything.
   */
  readonly unorderedShare: number;
}

/**
 * Whether a log's times order its users' histories at all: some earlier-later pairs are known.
 * A log where (almost) every pair is tied or untimed has no "before the target", so the history
 * modes and tower shapes that rely on order are pointless there.
 */
export function timeOrdersHistories(timing: TimingSummary): boolean {
  return timing.unorderedShare < 0.99;
}

/** Measures {@link TimingSummary} on per-user lists in time order (from {@link perUserInTime}). */
export function timingSummary(byUser: readonly (readonly number[])[], ts: Float64Array): TimingSummary {
  let total = 0;
  let untimed = 0;
  let tied = 0;
  let pairs = 0;
  let unorderedPairs = 0;
  for (const list of byUser) {
    total += list.length;
    let groupStart = 0;
    for (let j = 0; j < list.length; j++) {
      const t = ts[list[j]];
      if (j > 0 && !(ts[list[j - 1]] === t || (Number.isNaN(t) && Number.isNaN(ts[list[j - 1]])))) groupStart = j;
      pairs += j;
      unorderedPairs += j - groupStart;
      if (Number.isNaN(t)) untimed++;
      else if ((j > 0 && ts[list[j - 1]] === t) || (j + 1 < list.length && ts[list[j + 1]] === t)) tied++;
    }
  }
  const timed = total - untimed;
  return {
    untimedShare: total === 0 ? 0 : untimed / total,
    tiedShare: timed === 0 ? 0 : tied / timed,
    unorderedShare: pairs === 0 ? (untimed > 0 ? 1 : 0) : unorderedPairs / pairs,
  };
}
