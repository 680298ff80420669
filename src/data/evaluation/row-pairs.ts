/** (user, item) pairs as row indices of the users and items being evaluated: pair k is (user[k], item[k]). */
export interface RowPairs {
  readonly user: Int32Array;
  readonly item: Int32Array;
}

/** Pairs with each one's rating (a log's rating column, which ingest stores as the weight); NaN where unknown. */
export interface RatedPairs extends RowPairs {
  readonly rating: Float32Array;
}

/** Truth pairs left out of an evaluation because the model has no row for their user or item. */
export interface DroppedPairs {
  /** Pairs (and distinct users) whose user the model does not know. */
  readonly unknownUserRows: number;
  readonly unknownUsers: number;
  /** Pairs whose item is not in the model's catalogue. */
  readonly unknownItemRows: number;
}

/** Nothing dropped: the truth was given in the model's own rows. */
export const NOTHING_DROPPED: DroppedPairs = { unknownUserRows: 0, unknownUsers: 0, unknownItemRows: 0 };

/** Map from each id to its position in `ids`: the rows of a model's users or items. */
export function rowsOf(ids: readonly string[]): Map<string, number> {
  return new Map(ids.map((id, k) => [id, k]));
}

/**
 * Maps (user, item) pairs given by external ids, each with its rating when known, onto a model's
 * rows. A pair whose user or item the model does not know is counted (not guessed at), so that
 * the caller can report it; its user is checked first, so a pair with both unknown counts as an
 * unknown user.
 */
export function pairsOnRows(
  pairs: Iterable<readonly [string, string, number?]>,
  userRow: ReadonlyMap<string, number>,
  itemRow: ReadonlyMap<string, number>,
): { pairs: RatedPairs; dropped: DroppedPairs } {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  const unknownUsers = new Set<string>();
  let unknownUserRows = 0;
  let unknownItemRows = 0;
  for (const [userId, itemId, rating] of pairs) {
    const u = userRow.get(userId);
    if (u === undefined) {
      unknownUserRows++;
      unknownUsers.add(userId);
      continue;
    }
    const i = itemRow.get(itemId);
    if (i === undefined) {
      unknownItemRows++;
      continue;
    }
    users.push(u);
    items.push(i);
    ratings.push(rating ?? Number.NaN);
  }
  return {
    pairs: { user: Int32Array.from(users), item: Int32Array.from(items), rating: Float32Array.from(ratings) },
    dropped: { unknownUserRows, unknownUsers: unknownUsers.size, unknownItemRows },
  };
}

/** The interactions of a log as (user id, item id, rating) triples, in log order (the rating is the stored weight). */
export function* idPairsOf(log: {
  readonly users: readonly { readonly externalId: string }[];
  readonly items: readonly { readonly externalId: string }[];
  readonly interactions: RowPairs & { readonly weight: Float32Array };
}): Generator<readonly [string, string, number]> {
  const { user, item, weight } = log.interactions;
  for (let k = 0; k < user.length; k++) yield [log.users[user[k]].externalId, log.items[item[k]].externalId, weight[k]];
}
