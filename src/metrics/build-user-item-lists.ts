import type { UserItemLists } from './item-set.js';

/**
 * Groups (user, item) pairs into per-user lists (CSR, indexed by user index 0..numUsers-1),
 * each list sorted by item index with duplicates removed: the `exclude` and `truth` inputs
 * of `evaluateFullRanking`, built from interaction columns or a split.
 */
export function buildUserItemLists(numUsers: number, user: Int32Array, item: Int32Array): UserItemLists {
  if (user.length !== item.length) throw new RangeError(`buildUserItemLists: ${user.length} users but ${item.length} items`);
  const counts = new Int32Array(numUsers + 1);
  for (const u of user) {
    if (u < 0 || u >= numUsers) throw new RangeError(`buildUserItemLists: user index ${u} outside [0, ${numUsers})`);
    counts[u + 1]++;
  }
  for (let u = 0; u < numUsers; u++) counts[u + 1] += counts[u];
  const fill = counts.slice(0, numUsers);
  const raw = new Int32Array(user.length);
  for (let r = 0; r < user.length; r++) raw[fill[user[r]]++] = item[r];
  const offsets = new Int32Array(numUsers + 1);
  const items = new Int32Array(user.length);
  let w = 0;
  for (let u = 0; u < numUsers; u++) {
    const list = raw.subarray(counts[u], counts[u + 1]).sort();
    for (let j = 0; j < list.length; j++) if (j === 0 || list[j] !== list[j - 1]) items[w++] = list[j];
    offsets[u + 1] = w;
  }
  return { offsets, items: items.slice(0, w) };
}
