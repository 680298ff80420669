import { coverageAtK } from './coverage-at-k.js';
import { headItemMask } from './head-item-mask.js';
import { hitRateAtK } from './hit-rate-at-k.js';
import type { ItemSet, UserItemLists } from './item-set.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { recallAtK } from './recall-at-k.js';
import { scoreBlock } from './score-block.js';
import { selectTopK } from './select-top-k.js';
import { subsetRecallAtK } from './subset-recall-at-k.js';

/** What `evaluateFullRanking` needs: embeddings, which users, what to exclude, the truth. */
export interface FullRankingInput {
  /** Row-major [numUsers, dim]; row u is user u. */
  readonly userEmbeddings: Float32Array;
  /** Row-major [numItems, dim]; every row is ranked (the whole catalogue). */
  readonly itemEmbeddings: Float32Array;
  readonly dim: number;
  /** User indices (rows of `userEmbeddings`) to evaluate; users with an empty truth are skipped. */
  readonly users: Int32Array;
  /** Items removed from user u's ranking (their earlier items), CSR indexed by user index. */
  readonly exclude: UserItemLists;
  /** Ground truth T(u), CSR indexed by user index; items listed once each. */
  readonly truth: UserItemLists;
  /** Cut-offs, e.g. [10, 20]. */
  readonly ks: readonly number[];
  /** Training frequency of each item; when given, head and tail recall are computed. */
  readonly itemPopularity?: ArrayLike<number>;
  /** Share of the catalogue that counts as head (default 0.2, see `headItemMask`). */
  readonly headFraction?: number;
}

/** Means over the evaluated users at one cut-off K. */
export interface RankingMetricsAtK {
  readonly k: number;
  readonly recall: number;
  readonly ndcg: number;
  readonly hitRate: number;
  /** Catalogue coverage@K over the evaluated users' top-K lists. */
  readonly coverage: number;
  /** Mean recall on head truth items over users that have some; null without popularity or such users. */
  readonly headRecall: number | null;
  readonly tailRecall: number | null;
  readonly headUsers: number;
  readonly tailUsers: number;
}

/** Result of `evaluateFullRanking`: one entry per K, in the order of `ks`. */
export interface FullRankingResult {
  /** Users with |T(u)| ≥ 1, the denominator of every mean (all metrics are 0 when it is 0). */
  readonly evaluatedUsers: number;
  readonly atK: readonly RankingMetricsAtK[];
}

const SCORE_BUFFER_ENTRIES = 1 << 21;

/**
 * Full-ranking evaluation, the protocol of `../shared/benchmarks/README.md`: for each user u
 * with |T(u)| ≥ 1, score every item by the dot product s(u, i) = u · v_i, remove the excluded
 * items, take the top K by partial selection (ties: lower item index first, see `selectTopK`)
 * and average Recall@K, NDCG@K and HitRate@K over those users (unweighted). Coverage@K and,
 * with `itemPopularity`, head/tail recall (`headItemMask`, `subsetRecallAtK`) are computed from
 * the same top-K lists. Users are processed in blocks so that the score buffer stays ~16 MB
 * whatever the catalogue size. Pure and deterministic: no TF.js, plain loops in float64.
 *
 * @example
 *   const r = evaluateFullRanking({ userEmbeddings, itemEmbeddings, dim: 64, users,
 *     exclude: trainLists, truth: validLists, ks: [10, 20] });
 *   r.atK[1].recall; // mean Recall@20
 */
// eslint-disable-next-line max-lines-per-function -- the user-block loop shares its score, top-K and metric buffers; split, each part would take them all as arguments
export function evaluateFullRanking(input: FullRankingInput): FullRankingResult {
  const { userEmbeddings, itemEmbeddings, dim, exclude, truth, ks } = input;
  const numItems = itemEmbeddings.length / dim;
  if (!Number.isInteger(numItems) || userEmbeddings.length % dim !== 0) {
    throw new RangeError(`evaluateFullRanking: embedding lengths must be multiples of dim ${dim}`);
  }
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new RangeError(`evaluateFullRanking: ks must be positive integers, got [${ks.join(', ')}]`);
  }
  const maxK = Math.max(...ks);
  const users = Array.from(input.users).filter((u) => truth.offsets[u + 1] > truth.offsets[u]);
  const head = input.itemPopularity ? headItemMask(input.itemPopularity, input.headFraction) : null;

  const sums = ks.map(() => ({ recall: 0, ndcg: 0, hitRate: 0, head: 0, headUsers: 0, tail: 0, tailUsers: 0 }));
  const rankings: Int32Array[] = [];
  const skip = new Uint8Array(numItems);
  const truthMark = new Int32Array(numItems).fill(-1);
  const blockSize = Math.max(1, Math.min(64, Math.floor(SCORE_BUFFER_ENTRIES / Math.max(1, numItems))));
  const scores = new Float64Array(blockSize * numItems);

  for (let start = 0; start < users.length; start += blockSize) {
    const block = users.slice(start, start + blockSize);
    scoreBlock(userEmbeddings, itemEmbeddings, dim, block, numItems, scores);
    for (let b = 0; b < block.length; b++) {
      const u = block[b];
      for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) skip[exclude.items[p]] = 1;
      const ranked = selectTopK(scores, maxK, skip, b * numItems, numItems);
      for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) skip[exclude.items[p]] = 0;
      const truthItems = truth.items.subarray(truth.offsets[u], truth.offsets[u + 1]);
      for (const t of truthItems) truthMark[t] = u;
      const set: ItemSet = { has: (i) => truthMark[i] === u, size: truthItems.length };
      ks.forEach((k, j) => {
        const s = sums[j];
        s.recall += recallAtK(ranked, set, k);
        s.ndcg += ndcgAtK(ranked, set, k);
        s.hitRate += hitRateAtK(ranked, set, k);
        if (head === null) return;
        const h = subsetRecallAtK(ranked, truthItems, set, head, 1, k);
        if (h !== undefined) {
          s.head += h;
          s.headUsers++;
        }
        const t = subsetRecallAtK(ranked, truthItems, set, head, 0, k);
        if (t !== undefined) {
          s.tail += t;
          s.tailUsers++;
        }
      });
      for (const t of truthItems) truthMark[t] = -1;
      rankings.push(ranked);
    }
  }

  const n = users.length;
  const mean = (x: number, count: number): number => (count === 0 ? 0 : x / count);
  return {
    evaluatedUsers: n,
    atK: ks.map((k, j) => {
      const s = sums[j];
      return {
        k,
        recall: mean(s.recall, n),
        ndcg: mean(s.ndcg, n),
        hitRate: mean(s.hitRate, n),
        coverage: coverageAtK(rankings, numItems, k),
        headRecall: head === null || s.headUsers === 0 ? null : s.head / s.headUsers,
        tailRecall: head === null || s.tailUsers === 0 ? null : s.tail / s.tailUsers,
        headUsers: s.headUsers,
        tailUsers: s.tailUsers,
      };
    }),
  };
}
