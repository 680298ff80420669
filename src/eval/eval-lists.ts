import { buildUserItemLists } from '../metrics/build-user-item-lists.js';
import type { UserItemLists } from '../metrics/item-set.js';

/**
 * Collects (user, item) pairs given as external ids into the CSR lists `evaluateFullRanking`
 * takes, indexed by a model's user and item rows; pairs whose user or item the model does not
 * know are counted (not guessed at), so the caller can report them.
 */
export class EvalLists {
  private readonly users: number[] = [];
  private readonly items: number[] = [];
  /** Pairs dropped because the model has no embedding for the user. */
  unknownUserPairs = 0;
  /** Distinct users dropped that way. */
  readonly unknownUsers = new Set<string>();
  /** Pairs dropped because the model's catalogue lacks the item. */
  unknownItemPairs = 0;

  constructor(
    private readonly userIndex: ReadonlyMap<string, number>,
    private readonly itemIndex: ReadonlyMap<string, number>,
  ) {}

  /** Adds one pair by external ids. */
  add(userId: string, itemId: string): void {
    const u = this.userIndex.get(userId);
    if (u === undefined) {
      this.unknownUserPairs++;
      this.unknownUsers.add(userId);
      return;
    }
    const i = this.itemIndex.get(itemId);
    if (i === undefined) {
      this.unknownItemPairs++;
      return;
    }
    this.users.push(u);
    this.items.push(i);
  }

  /** The pairs added so far as per-user lists over `numUsers` rows. */
  lists(numUsers: number): UserItemLists {
    return buildUserItemLists(numUsers, Int32Array.from(this.users), Int32Array.from(this.items));
  }

  /** Interactions per item row over the pairs added so far (the head/tail popularity). */
  itemCounts(numItems: number): Float64Array {
    const counts = new Float64Array(numItems);
    for (const i of this.items) counts[i]++;
    return counts;
  }
}

/** Map from id to its position in `ids`. */
export function indexOf(ids: readonly string[]): Map<string, number> {
  return new Map(ids.map((id, k) => [id, k]));
}
