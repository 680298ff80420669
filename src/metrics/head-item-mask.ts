/**
 * The long-tail split: marks the head, the most popular `headFraction` (default 20 %) of the
 * catalogue by training frequency; every other item is tail.
 *
 *   |head| = floor(headFraction · |I| + 0.5)
 *   head   = the |head| items of highest popularity, ties broken by lower item index
 *
 * `popularity[i]` is item i's number of training interactions (any non-negative weight).
 * Returns a mask with 1 for head items and 0 for tail items.
 */
export function headItemMask(popularity: ArrayLike<number>, headFraction = 0.2): Uint8Array {
  if (!(headFraction >= 0 && headFraction <= 1)) {
    throw new RangeError(`headItemMask: headFraction must be in [0, 1], got ${headFraction}`);
  }
  const n = popularity.length;
  const headSize = Math.floor(headFraction * n + 0.5);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => popularity[b] - popularity[a] || a - b);
  const mask = new Uint8Array(n);
  for (let r = 0; r < headSize; r++) mask[order[r]] = 1;
  return mask;
}
