/**
 * The ground truth of one user, as the per-user metrics see it: membership and size. A
 * `ReadonlySet<number>` satisfies it; `evaluateFullRanking` passes a stamp-array view so that
 * no set is allocated per user.
 */
export interface ItemSet {
  has(item: number): boolean;
  readonly size: number;
}

/**
 * Items per user in compressed sparse row form: the items of row `r` are
 * `items[offsets[r] .. offsets[r + 1])`. `offsets` has one entry more than there are rows.
 * Used for the items to exclude from a ranking and for the ground truth.
 */
export interface UserItemLists {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}
