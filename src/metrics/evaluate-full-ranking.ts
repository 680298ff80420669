import { coverageAtK } from './coverage-at-k.js';
import { headItemMask } from './head-item-mask.js';
import { hitRateAtK } from './hit-rate-at-k.js';
import type { ItemSet, UserItemLists } from './item-set.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { recallAtK } from './recall-at-k.js';
import { scoreBlock } from './score-block.js';
import { TopKHeaps, type ScoreArray } from './select-top-k.js';
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
  /**
   * Scores a tile of users against a tile of items in float32, e.g. the native GEMM
   * (`scoresGemmOf` in `kernels`); without it, the float64 loops of `scoreBlock`.
   */
  readonly matMul?: ScoreMatMul;
  /** Also return each evaluated user's recall (`perUser` of the result), for paired comparisons. */
  readonly perUser?: boolean;
  /** Users and items scored at a time; the defaults bound the score buffer (tests set small ones to cross tile edges). */
  readonly tile?: { readonly users: number; readonly items: number };
}

/**
 * `c [m, n] = a [m, dim] · b [n, dim]ᵀ` on row-major float32 arrays, `c` overwritten: the scores
 * of m users against n items.
 */
export type ScoreMatMul = (a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, dim: number) => void;

/** Each evaluated user's recall, for paired comparisons of two rankings of the same users. */
export interface PerUserRecall {
  /** The evaluated users (|T(u)| ≥ 1), in the order of the input's `users`. */
  readonly users: Int32Array;
  /** `recall[j][p]`: Recall@ks[j] of `users[p]`. */
  readonly recall: readonly Float64Array[];
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
  /** With `perUser`: each evaluated user's recall at each K. */
  readonly perUser?: PerUserRecall;
}

/** Score entries of the float64 path's buffer (~16 MB). */
const SCORE_BUFFER_ENTRIES = 1 << 21;
/** Users the float64 path scores at a time: four per register block, enough for the item tile to be reused from cache. */
const JS_TILE_USERS = 64;
/** The GEMM path's tile (~4 MB of float32 scores): wide enough to keep the GEMM efficient, small enough to stay in cache for the selection that reads it back. */
const GEMM_TILE_USERS = 256;
const GEMM_TILE_ENTRIES = 1 << 20;

/** Fills `scores` with a block of users' scores against one tile of items: `scores[b · count + j]` = u_b · v_(first + j). */
interface TileScorer {
  readonly scores: ScoreArray;
  setUsers(block: readonly number[]): void;
  score(first: number, count: number): void;
}

function jsScorer(userEmbeddings: Float32Array, itemEmbeddings: Float32Array, dim: number, entries: number): TileScorer {
  let users: readonly number[] = [];
  const scores = new Float64Array(entries);
  return {
    scores,
    setUsers: (block) => (users = block),
    score: (first, count) => scoreBlock(userEmbeddings, itemEmbeddings.subarray(first * dim, (first + count) * dim), dim, users, count, scores),
  };
}

function matMulScorer(
  matMul: ScoreMatMul,
  userEmbeddings: Float32Array,
  itemEmbeddings: Float32Array,
  dim: number,
  tileUsers: number,
  entries: number,
): TileScorer {
  const gathered = new Float32Array(tileUsers * dim);
  let m = 0;
  const scores = new Float32Array(entries);
  return {
    scores,
    setUsers(block) {
      m = block.length;
      block.forEach((u, b) => gathered.set(userEmbeddings.subarray(u * dim, (u + 1) * dim), b * dim));
    },
    score: (first, count) => matMul(gathered.subarray(0, m * dim), itemEmbeddings.subarray(first * dim, (first + count) * dim), scores, m, count, dim),
  };
}

/**
 * The top `maxK` items of every user, best first, in the order of `users`: blocks of users are
 * scored against tiles of the catalogue, each user's running top K kept in a heap
 * (`TopKHeaps`), so memory stays bounded whatever the catalogue size and no ranking is sorted.
 */
function rankTopK(input: FullRankingInput, users: readonly number[], numItems: number, maxK: number): Int32Array[] {
  const { userEmbeddings, itemEmbeddings, dim, exclude, matMul } = input;
  const tileUsers = Math.max(1, Math.min(users.length, input.tile?.users ?? (matMul ? GEMM_TILE_USERS : JS_TILE_USERS)));
  const defaultItems = Math.floor((matMul ? GEMM_TILE_ENTRIES : SCORE_BUFFER_ENTRIES) / tileUsers);
  const tileItems = Math.max(1, Math.min(numItems, input.tile?.items ?? defaultItems));
  const entries = tileUsers * tileItems;
  const scorer = matMul
    ? matMulScorer(matMul, userEmbeddings, itemEmbeddings, dim, tileUsers, entries)
    : jsScorer(userEmbeddings, itemEmbeddings, dim, entries);
  const heaps = new TopKHeaps(tileUsers, maxK);
  const skip = new Uint8Array(numItems);
  const rankings: Int32Array[] = [];
  for (let start = 0; start < users.length; start += tileUsers) {
    const block = users.slice(start, start + tileUsers);
    scorer.setUsers(block);
    for (let first = 0; first < numItems; first += tileItems) {
      const count = Math.min(tileItems, numItems - first);
      scorer.score(first, count);
      for (let b = 0; b < block.length; b++) {
        const u = block[b];
        for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) skip[exclude.items[p]] = 1;
        heaps.offer(b, scorer.scores, b * count, count, first, skip);
        for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) skip[exclude.items[p]] = 0;
      }
    }
    for (let b = 0; b < block.length; b++) rankings.push(heaps.take(b));
  }
  return rankings;
}

/** Running sums over the evaluated users at one K. */
interface SumsAtK {
  recall: number;
  ndcg: number;
  hitRate: number;
  head: number;
  headUsers: number;
  tail: number;
  tailUsers: number;
}

/** Adds one user's figures at K to `s`; returns the user's recall. */
function addUser(s: SumsAtK, ranked: Int32Array, truthItems: Int32Array, set: ItemSet, head: Uint8Array | null, k: number): number {
  const recall = recallAtK(ranked, set, k);
  s.recall += recall;
  s.ndcg += ndcgAtK(ranked, set, k);
  s.hitRate += hitRateAtK(ranked, set, k);
  if (head === null) return recall;
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
  return recall;
}

/**
 * Full-ranking evaluation, the protocol of `../shared/benchmarks/README.md`: for each user u
 * with |T(u)| ≥ 1, score every item by the dot product s(u, i) = u · v_i, remove the excluded
 * items, take the top K by partial selection (ties: lower item index first, see `TopKHeaps`)
 * and average Recall@K, NDCG@K and HitRate@K over those users (unweighted). Coverage@K and,
 * with `itemPopularity`, head/tail recall (`headItemMask`, `subsetRecallAtK`) are computed from
 * the same top-K lists. Users are scored in blocks against tiles of the catalogue, so that the
 * score buffer stays a few MB whatever the catalogue size. Pure and deterministic: without
 * `matMul` no TF.js, plain loops in float64; with it, float32 scores from the given product.
 *
 * @example
 *   const r = evaluateFullRanking({ userEmbeddings, itemEmbeddings, dim: 64, users,
 *     exclude: trainLists, truth: validLists, ks: [10, 20] });
 *   r.atK[1].recall; // mean Recall@20
 */
export function evaluateFullRanking(input: FullRankingInput): FullRankingResult {
  const { userEmbeddings, itemEmbeddings, dim, truth, ks } = input;
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
  const rankings = rankTopK(input, users, numItems, maxK);

  const sums: SumsAtK[] = ks.map(() => ({ recall: 0, ndcg: 0, hitRate: 0, head: 0, headUsers: 0, tail: 0, tailUsers: 0 }));
  const perUser = input.perUser === true ? ks.map(() => new Float64Array(users.length)) : null;
  const truthMark = new Int32Array(numItems).fill(-1);
  users.forEach((u, p) => {
    const ranked = rankings[p];
    const truthItems = truth.items.subarray(truth.offsets[u], truth.offsets[u + 1]);
    for (const t of truthItems) truthMark[t] = u;
    const set: ItemSet = { has: (i) => truthMark[i] === u, size: truthItems.length };
    ks.forEach((k, j) => {
      const recall = addUser(sums[j], ranked, truthItems, set, head, k);
      if (perUser !== null) perUser[j][p] = recall;
    });
    for (const t of truthItems) truthMark[t] = -1;
  });

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
    ...(perUser === null ? {} : { perUser: { users: Int32Array.from(users), recall: perUser } }),
  };
}
