import type { PerUserRecall } from './evaluate-full-ranking.js';
import type { ItemSet, UserItemLists } from './item-set.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { recallAtK } from './recall-at-k.js';

/** What `evaluateMostPopular` needs: training popularity, which users, what to exclude, the truth. */
export interface MostPopularInput {
  /** Per item (index = item index), how often it occurs in the TRAINING interactions; any non-negative scale (counts or shares). */
  readonly itemCounts: ArrayLike<number>;
  /** User indices to evaluate; users with an empty truth are skipped. */
  readonly users: Int32Array;
  /** Items removed from user u's ranking (their earlier items), CSR indexed by user index. */
  readonly exclude: UserItemLists;
  /** Ground truth T(u), CSR indexed by user index; items listed once each. */
  readonly truth: UserItemLists;
  /** Cut-offs, e.g. [20]. */
  readonly ks: readonly number[];
  /** Also return each evaluated user's recall (`perUser` of the result), for paired comparisons. */
  readonly perUser?: boolean;
}

/** Means over the evaluated users at one cut-off K. */
export interface MostPopularAtK {
  readonly k: number;
  readonly recall: number;
  readonly ndcg: number;
}

/** Result of `evaluateMostPopular`: one entry per K, in the order of `ks`. */
export interface MostPopularResult {
  /** Users with |T(u)| ≥ 1, the denominator of every mean (all metrics are 0 when it is 0). */
  readonly evaluatedUsers: number;
  readonly atK: readonly MostPopularAtK[];
  /** With `perUser`: each evaluated user's recall at each K. */
  readonly perUser?: PerUserRecall;
}

/**
 * Every item index, most popular first; equal popularity: lower index first, the tie rule of
 * `selectTopK`, so that the baseline is a deterministic function of the counts.
 */
export function popularityOrder(itemCounts: ArrayLike<number>): Int32Array {
  for (let i = 0; i < itemCounts.length; i++) {
    const c = itemCounts[i];
    if (!Number.isFinite(c) || c < 0) throw new RangeError(`popularityOrder: item ${i} has count ${c}; counts must be finite and non-negative`);
  }
  return Int32Array.from({ length: itemCounts.length }, (_, i) => i).sort((a, b) => itemCounts[b] - itemCounts[a] || a - b);
}

/**
 * The most-popular baseline under the full-ranking protocol of `../shared/benchmarks/README.md`
 * (the one `evaluateFullRanking` applies to a model): every user gets the catalogue ranked by
 * training popularity with their excluded items removed, and Recall@K (denominator |T(u)|) and
 * binary NDCG@K are averaged over the users with |T(u)| ≥ 1. A model that learnt anything about
 * its users should beat it; one that does not is worse than shipping a chart.
 *
 * The ranking is the same for everyone except for the exclusions, so the catalogue is sorted
 * once and each user's top K is the first K items of that order that they have not seen: the
 * walk reads at most K + |excluded(u)| entries, never the whole catalogue. Pure.
 *
 * @example
 *   const counts = new Float64Array(numItems);
 *   for (const i of snapshot.train.item) counts[i]++;
 *   evaluateMostPopular({ itemCounts: counts, users, exclude: trainLists, truth: validLists, ks: [20] }).atK[0].recall;
 */
export function evaluateMostPopular(input: MostPopularInput): MostPopularResult {
  const { exclude, truth, ks } = input;
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new RangeError(`evaluateMostPopular: ks must be positive integers, got [${ks.join(', ')}]`);
  }
  const order = popularityOrder(input.itemCounts);
  const numItems = order.length;
  const maxK = Math.max(...ks);
  const users = Array.from(input.users).filter((u) => truth.offsets[u + 1] > truth.offsets[u]);
  const skip = new Uint8Array(numItems);
  const truthMark = new Int32Array(numItems).fill(-1);
  const ranked = new Int32Array(maxK);
  const sums = ks.map(() => ({ recall: 0, ndcg: 0 }));
  const perUser = input.perUser === true ? ks.map(() => new Float64Array(users.length)) : null;

  users.forEach((u, at) => {
    for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) skip[exclude.items[p]] = 1;
    let n = 0;
    for (let r = 0; r < numItems && n < maxK; r++) if (skip[order[r]] === 0) ranked[n++] = order[r];
    for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) skip[exclude.items[p]] = 0;
    const top = ranked.subarray(0, n);
    const truthItems = truth.items.subarray(truth.offsets[u], truth.offsets[u + 1]);
    for (const t of truthItems) truthMark[t] = u;
    const set: ItemSet = { has: (i) => truthMark[i] === u, size: truthItems.length };
    ks.forEach((k, j) => {
      const recall = recallAtK(top, set, k);
      sums[j].recall += recall;
      if (perUser !== null) perUser[j][at] = recall;
      sums[j].ndcg += ndcgAtK(top, set, k);
    });
    for (const t of truthItems) truthMark[t] = -1;
  });

  const count = users.length;
  return {
    evaluatedUsers: count,
    atK: ks.map((k, j) => ({ k, recall: count === 0 ? 0 : sums[j].recall / count, ndcg: count === 0 ? 0 : sums[j].ndcg / count })),
    ...(perUser === null ? {} : { perUser: { users: Int32Array.from(users), recall: perUser } }),
  };
}
