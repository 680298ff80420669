import type { Rng } from '../../src/common/rng.js';
import { buildUserItemLists } from '../../src/metrics/build-user-item-lists.js';
import type { UserItemLists } from '../../src/metrics/item-set.js';

/** `perUser` uniformly drawn items for each of `numUsers` users (repeats possible), as CSR lists. */
export function randomUserItemLists(rng: Rng, numUsers: number, numItems: number, perUser: number): UserItemLists {
  const user: number[] = [];
  const item: number[] = [];
  for (let u = 0; u < numUsers; u++)
    for (let j = 0; j < perUser; j++) {
      user.push(u);
      item.push(rng.int(numItems));
    }
  return buildUserItemLists(numUsers, Int32Array.from(user), Int32Array.from(item));
}
