import type { Rng } from '../../common/rng.js';
import type { InteractionColumns } from '../../store/interaction-log.js';
import { uniformTimestamp, type InjectedRows } from './injected-rows.js';

/**
 * Rows of `bots` new users (indices numUsers, numUsers + 1, …) sharing `count` interactions as
 * evenly as possible; each bot's items are distinct and uniformly random (a partial
 * Fisher–Yates shuffle of the catalogue), timestamps uniform in the training time range.
 */
export function drawBotRows(train: InteractionColumns, count: number, bots: number, numUsers: number, numItems: number, rng: Rng): InjectedRows {
  if (!Number.isInteger(bots) || bots < 1) throw new RangeError(`injectNoise: bots must be a positive integer, got ${bots}`);
  const perBot = Math.ceil(count / bots);
  if (perBot > numItems) {
    throw new RangeError(`injectNoise: ${count} bot rows over ${bots} bots exceed the ${numItems} items a bot can have`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of train.ts) {
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  const out = { user: new Int32Array(count), item: new Int32Array(count), ts: new Float64Array(count) };
  const perm = Int32Array.from({ length: numItems }, (_, i) => i);
  let r = 0;
  for (let b = 0; b < bots && r < count; b++) {
    const rows = Math.floor(count / bots) + (b < count % bots ? 1 : 0);
    for (let j = 0; j < rows; j++, r++) {
      const pick = j + rng.int(numItems - j);
      [perm[j], perm[pick]] = [perm[pick], perm[j]];
      out.user[r] = numUsers + b;
      out.item[r] = perm[j];
      out.ts[r] = uniformTimestamp(lo, hi, () => rng.next());
    }
  }
  return out;
}
