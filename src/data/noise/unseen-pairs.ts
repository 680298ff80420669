import type { Rng } from '../../common/rng.js';
import type { InteractionColumns } from '../../store/interaction-log.js';
import { uniformTimestamp, type InjectedRows } from './injected-rows.js';
import { upperBound } from '../synthetic/weighted-choice.js';

/**
 * Draws `count` distinct (user, item) pairs that occur neither in `train` nor in `forbidden`,
 * over the users that have training rows, each with a timestamp uniform in its user's
 * training time range. Uniform mode draws user and item uniformly and rejects seen pairs,
 * which is exactly uniform over the unobserved pairs (the SGL protocol); popularity mode
 * draws the item in proportion to its training count instead (items never trained on are
 * never drawn).
 */
export function drawUnseenPairs(
  train: InteractionColumns,
  count: number,
  config: { readonly numItems: number; readonly forbidden?: { readonly user: Int32Array; readonly item: Int32Array } },
  byPopularity: boolean,
  rng: Rng,
): InjectedRows {
  const { numItems } = config;
  const key = (u: number, i: number): number => u * numItems + i;
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  const taken = new Set<number>();
  const popularity = new Float64Array(numItems);
  for (let r = 0; r < train.user.length; r++) {
    const u = train.user[r];
    const t = train.ts[r];
    if (!(t >= (lo.get(u) ?? Infinity))) lo.set(u, t);
    if (!(t <= (hi.get(u) ?? -Infinity))) hi.set(u, t);
    taken.add(key(u, train.item[r]));
    popularity[train.item[r]]++;
  }
  const users = Int32Array.from(lo.keys()).sort();
  const forbidden = config.forbidden;
  if (forbidden) for (let r = 0; r < forbidden.user.length; r++) if (lo.has(forbidden.user[r])) taken.add(key(forbidden.user[r], forbidden.item[r]));
  const available = users.length * numItems - taken.size;
  if (count > available) {
    throw new RangeError(`injectNoise: cannot draw ${count} unseen pairs, only ${available} exist`);
  }
  const cumulative = new Float64Array(numItems);
  let total = 0;
  for (let i = 0; i < numItems; i++) cumulative[i] = total += popularity[i];
  const drawItem = byPopularity ? () => upperBound(cumulative, rng.next() * total) : () => rng.int(numItems);

  const out = { user: new Int32Array(count), item: new Int32Array(count), ts: new Float64Array(count) };
  const maxAttempts = 100 * count + 10_000;
  let attempts = 0;
  for (let r = 0; r < count;) {
    if (++attempts > maxAttempts) {
      throw new RangeError(`injectNoise: found only ${r} of ${count} unseen pairs after ${maxAttempts} draws`);
    }
    const u = users[rng.int(users.length)];
    const i = drawItem();
    if (taken.has(key(u, i))) continue;
    taken.add(key(u, i));
    out.user[r] = u;
    out.item[r] = i;
    out.ts[r] = uniformTimestamp(lo.get(u)!, hi.get(u)!, () => rng.next());
    r++;
  }
  return out;
}
