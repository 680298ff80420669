import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { randomUserItemLists } from './random-user-item-lists.js';
import { evaluateFullRanking } from '../../src/metrics/evaluate-full-ranking.js';
import { evaluateMostPopular, popularityOrder } from '../../src/metrics/evaluate-most-popular.js';
import type { UserItemLists } from '../../src/metrics/item-set.js';

function csr(lists: number[][]): UserItemLists {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, r) => (offsets[r + 1] = offsets[r] + l.length));
  return { offsets, items: Int32Array.from(lists.flat()) };
}

const INV_LOG2_3 = 1 / Math.log2(3); // 0.6309297536: the gain at rank 2

describe('popularityOrder', () => {
  it('sorts by count descending, equal counts by lower index first', () => {
    expect(Array.from(popularityOrder([3, 5, 5, 1, 0]))).toEqual([1, 2, 0, 3, 4]);
    expect(Array.from(popularityOrder([0, 0, 0]))).toEqual([0, 1, 2]);
  });

  it('refuses a negative or non-finite count', () => {
    expect(() => popularityOrder([1, -1])).toThrow(/item 1 has count -1/);
    expect(() => popularityOrder([Number.NaN])).toThrow(/item 0 has count NaN/);
  });
});

describe('evaluateMostPopular on a hand-checked 5-item case', () => {
  // Training counts [3, 5, 5, 1, 0] → global order [1, 2, 0, 3, 4] (items 1 and 2 tie: 1 first).
  // u0: excludes {1}, T = {0, 4} → ranking [2, 0, 3, 4]: item 0 at rank 2.
  // u1: excludes nothing, T = {1}  → ranking [1, 2, 0, 3, 4]: item 1 at rank 1.
  // u2: T empty → not evaluated.
  // u3: excludes {2, 0}, T = {3}   → ranking [1, 3, 4]: item 3 at rank 2.
  // u4: T = {4}, but not in `users` → not evaluated.
  const input = {
    itemCounts: [3, 5, 5, 1, 0],
    users: new Int32Array([0, 1, 2, 3]),
    exclude: csr([[1], [], [], [0, 2], []]),
    truth: csr([[0, 4], [1], [], [3], [4]]),
    ks: [1, 2],
  };

  it('averages Recall@K (denominator |T(u)|) and binary NDCG@K over users with a truth', () => {
    const r = evaluateMostPopular(input);
    expect(r.evaluatedUsers).toBe(3);
    // K=1: u0 top [2] miss, u1 top [1] hit (recall 1, ndcg 1), u3 top [1] miss.
    expect(r.atK[0].k).toBe(1);
    expect(r.atK[0].recall).toBeCloseTo(1 / 3, 12);
    expect(r.atK[0].ndcg).toBeCloseTo(1 / 3, 12);
    // K=2: u0 recall 1/2 (|T| = 2, not min(K, |T|)), NDCG (1/log2 3) / (1 + 1/log2 3);
    // u1 recall 1, NDCG 1; u3 recall 1, NDCG (1/log2 3) / 1.
    expect(r.atK[1].k).toBe(2);
    expect(r.atK[1].recall).toBeCloseTo((0.5 + 1 + 1) / 3, 12);
    expect(r.atK[1].ndcg).toBeCloseTo((INV_LOG2_3 / (1 + INV_LOG2_3) + 1 + INV_LOG2_3) / 3, 12);
  });

  it("returns each evaluated user's recall with perUser, in the order of users", () => {
    const r = evaluateMostPopular({ ...input, perUser: true });
    expect(Array.from(r.perUser!.users)).toEqual([0, 1, 3]);
    expect(r.perUser!.recall.map((x) => Array.from(x))).toEqual([
      [0, 1, 0],
      [0.5, 1, 1],
    ]);
  });

  it('breaks ties by item index: item 2 ties with item 1 but ranks second', () => {
    // One user, T = {2}, nothing excluded → top 1 is item 1, a miss; top 2 is [1, 2], a hit.
    const r = evaluateMostPopular({ itemCounts: [3, 5, 5, 1, 0], users: new Int32Array([0]), exclude: csr([[]]), truth: csr([[2]]), ks: [1, 2] });
    expect(r.atK.map((m) => m.recall)).toEqual([0, 1]);
  });

  it('returns zeros without evaluable users, and rejects a bad K', () => {
    expect(evaluateMostPopular({ ...input, users: new Int32Array([2]) })).toEqual({
      evaluatedUsers: 0,
      atK: [
        { k: 1, recall: 0, ndcg: 0 },
        { k: 2, recall: 0, ndcg: 0 },
      ],
    });
    expect(() => evaluateMostPopular({ ...input, ks: [0] })).toThrow(/ks must be positive integers/);
  });
});

describe('evaluateMostPopular agrees with evaluateFullRanking', () => {
  it('equals the full-ranking evaluation of one-dimensional embeddings whose item score is its count', () => {
    // With user vectors (1) and item vectors (count), the model's ranking is the popularity ranking
    // with selectTopK's tie rule (lower index first): both paths must give the same figures.
    const rng = createRng(5);
    const numUsers = 40;
    const numItems = 30;
    const counts = Float64Array.from({ length: numItems }, () => rng.int(6)); // many ties
    const exclude = randomUserItemLists(rng, numUsers, numItems, 8);
    const truth = randomUserItemLists(rng, numUsers, numItems, 3);
    const users = Int32Array.from({ length: numUsers }, (_, u) => u);
    const pop = evaluateMostPopular({ itemCounts: counts, users, exclude, truth, ks: [5, 20] });
    const full = evaluateFullRanking({
      userEmbeddings: new Float32Array(numUsers).fill(1),
      itemEmbeddings: Float32Array.from(counts),
      dim: 1,
      users,
      exclude,
      truth,
      ks: [5, 20],
    });
    expect(pop.evaluatedUsers).toBe(full.evaluatedUsers);
    pop.atK.forEach((m, j) => {
      expect(m.recall).toBeCloseTo(full.atK[j].recall, 12);
      expect(m.ndcg).toBeCloseTo(full.atK[j].ndcg, 12);
    });
    expect(pop.atK[1].recall).toBeGreaterThan(0);
  });
});
