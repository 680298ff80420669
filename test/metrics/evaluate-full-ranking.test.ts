import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/common/rng.js';
import { evaluateFullRanking, type FullRankingInput, type ScoreMatMul } from '../../src/metrics/evaluate-full-ranking.js';
import type { UserItemLists } from '../../src/metrics/item-set.js';
import { buildUserItemLists } from '../../src/metrics/build-user-item-lists.js';

function csr(lists: number[][]): UserItemLists {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, r) => (offsets[r + 1] = offsets[r] + l.length));
  return { offsets, items: Int32Array.from(lists.flat()) };
}

describe('evaluateFullRanking on a hand-checked case', () => {
  // Items: v0=(0.9,0.1) v1=(0.2,0.8) v2=(0.5,0.5) v3=(0.1,0.3); popularity [10,5,1,0] → head (25%) = {0}.
  // User 0 = (1,0): scores [0.9,0.2,0.5,0.1], item 0 excluded → ranking [2,1,3]; T = {1}.
  // User 1 = (0,1): scores [0.1,0.8,0.5,0.3] → ranking [1,2,3,0]; T = {3,0}.
  // User 2 = (1,1): T empty → skipped.
  const input: FullRankingInput = {
    userEmbeddings: new Float32Array([1, 0, 0, 1, 1, 1]),
    itemEmbeddings: new Float32Array([0.9, 0.1, 0.2, 0.8, 0.5, 0.5, 0.1, 0.3]),
    dim: 2,
    users: new Int32Array([0, 1, 2]),
    exclude: csr([[0], [], []]),
    truth: csr([[1], [3, 0], []]),
    ks: [1, 2],
    itemPopularity: [10, 5, 1, 0],
    headFraction: 0.25,
  };

  it('averages over users with a non-empty truth', () => {
    const r = evaluateFullRanking(input);
    expect(r.evaluatedUsers).toBe(2);
    // K=1: top1 = [2], [1] → no hits. Coverage {2,1} = 2/4.
    expect(r.atK[0]).toMatchObject({ k: 1, recall: 0, ndcg: 0, hitRate: 0, coverage: 0.5 });
    // K=2: user 0 top [2,1] hits 1 at rank 2: recall 1, NDCG = (1/log2 3)/1 = 0.630930; user 1 top [1,2]: 0.
    const at2 = r.atK[1];
    expect(at2.recall).toBeCloseTo(0.5, 12);
    expect(at2.ndcg).toBeCloseTo(0.63092975 / 2, 7);
    expect(at2.hitRate).toBeCloseTo(0.5, 12);
    expect(at2.coverage).toBeCloseTo(0.5, 12); // {2,1} ∪ {1,2}
    // Head: only user 1 has a head truth item (0), not in [1,2] → 0 over 1 user.
    // Tail: user 0 tail T {1} hit → 1; user 1 tail T {3} missed → 0; mean 0.5 over 2 users.
    expect(at2).toMatchObject({ headRecall: 0, headUsers: 1, tailRecall: 0.5, tailUsers: 2 });
  });

  it("returns each evaluated user's recall with perUser, in the order of users", () => {
    const r = evaluateFullRanking({ ...input, perUser: true });
    // K=1: both miss; K=2: user 0 hits its one truth item, user 1 none of its two.
    expect(Array.from(r.perUser!.users)).toEqual([0, 1]);
    expect(r.perUser!.recall.map((x) => Array.from(x))).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(evaluateFullRanking(input).perUser).toBeUndefined();
  });

  it('leaves head and tail null without popularity', () => {
    const r = evaluateFullRanking({ ...input, itemPopularity: undefined });
    expect(r.atK[1]).toMatchObject({ headRecall: null, tailRecall: null, headUsers: 0, tailUsers: 0 });
  });

  it('rejects bad cut-offs', () => {
    expect(() => evaluateFullRanking({ ...input, ks: [0, 10] })).toThrow('evaluateFullRanking: ks must be positive integers, got [0, 10]');
  });
});

/** The oracle: score every item, sort everything, compute each metric from its formula. */
function naiveEvaluate(input: FullRankingInput) {
  const { userEmbeddings: U, itemEmbeddings: V, dim, exclude, truth, ks } = input;
  const nI = V.length / dim;
  const pop = input.itemPopularity!;
  const order = Array.from({ length: nI }, (_, i) => i).sort((a, b) => pop[b] - pop[a] || a - b);
  const head = new Set(order.slice(0, Math.floor(0.2 * nI + 0.5)));
  const rows = ks.map(() => ({ recall: 0, ndcg: 0, hit: 0, cover: new Set<number>(), head: [] as number[], tail: [] as number[] }));
  let n = 0;
  for (const u of input.users) {
    const T = Array.from(truth.items.subarray(truth.offsets[u], truth.offsets[u + 1]));
    if (T.length === 0) continue;
    n++;
    const ex = new Set(exclude.items.subarray(exclude.offsets[u], exclude.offsets[u + 1]));
    const score = (i: number) => {
      let s = 0;
      for (let k = 0; k < dim; k++) s += U[u * dim + k] * V[i * dim + k];
      return s;
    };
    const scores = Array.from({ length: nI }, (_, i) => score(i));
    const ranking = Array.from({ length: nI }, (_, i) => i)
      .filter((i) => !ex.has(i))
      .sort((a, b) => scores[b] - scores[a] || a - b);
    ks.forEach((k, j) => {
      const top = ranking.slice(0, k);
      const hits = top.filter((i) => T.includes(i)).length;
      rows[j].recall += hits / T.length;
      rows[j].hit += hits > 0 ? 1 : 0;
      let dcg = 0;
      top.forEach((i, r) => (dcg += T.includes(i) ? 1 / Math.log2(r + 2) : 0));
      let idcg = 0;
      for (let r = 0; r < Math.min(k, T.length); r++) idcg += 1 / Math.log2(r + 2);
      rows[j].ndcg += dcg / idcg;
      top.forEach((i) => rows[j].cover.add(i));
      for (const [part, inPart] of [
        [rows[j].head, true],
        [rows[j].tail, false],
      ] as const) {
        const Tp = T.filter((i) => head.has(i) === inPart);
        if (Tp.length > 0) part.push(top.filter((i) => Tp.includes(i)).length / Tp.length);
      }
    });
  }
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return rows.map((r, j) => ({
    k: ks[j],
    recall: r.recall / n,
    ndcg: r.ndcg / n,
    hitRate: r.hit / n,
    coverage: r.cover.size / nI,
    headRecall: mean(r.head),
    tailRecall: mean(r.tail),
  }));
}

function randomInput(rng: Rng, integerScores: boolean): FullRankingInput {
  const nU = 37; // not a multiple of the 4-user kernel
  const nI = 151; // odd: exercises the 2-item kernel's remainder
  const dim = 7;
  const value = () => (integerScores ? rng.int(3) - 1 : rng.normal()); // integer vectors → many exact ties
  const lists = (count: () => number) =>
    csr(
      Array.from({ length: nU }, () => {
        const s = new Set<number>();
        const c = count();
        while (s.size < c) s.add(rng.int(nI));
        return [...s];
      }),
    );
  const exclude = lists(() => rng.int(30));
  const truth = lists(() => rng.int(6)); // some users have an empty truth
  // Truth and exclusion overlap only by chance here; the evaluator must not care.
  return {
    userEmbeddings: Float32Array.from({ length: nU * dim }, value),
    itemEmbeddings: Float32Array.from({ length: nI * dim }, value),
    dim,
    users: Int32Array.from({ length: 30 }, () => rng.int(nU)),
    exclude,
    truth,
    ks: [1, 5, 20],
    itemPopularity: Float64Array.from({ length: nI }, () => rng.int(10)),
  };
}

describe('evaluateFullRanking against a sort-everything oracle', () => {
  for (const integerScores of [false, true]) {
    it(`agrees on random data (${integerScores ? 'many ties' : 'real-valued'}, seeds 1-4)`, () => {
      for (let seed = 1; seed <= 4; seed++) {
        const input = randomInput(createRng(seed), integerScores);
        const fast = evaluateFullRanking(input);
        const slow = naiveEvaluate(input);
        fast.atK.forEach((m, j) => {
          const o = slow[j];
          expect(m.k).toBe(o.k);
          for (const key of ['recall', 'ndcg', 'hitRate', 'coverage'] as const) expect(m[key]).toBeCloseTo(o[key], 12);
          expect(m.headRecall).toBeCloseTo(o.headRecall!, 12);
          expect(m.tailRecall).toBeCloseTo(o.tailRecall!, 12);
        });
        expect(fast.atK[2].recall).toBeGreaterThan(0); // the comparison is not vacuous
      }
    });
  }

  it('gives the same figures whatever the tiling (tiles crossing users and items) and with a float32 matMul', () => {
    // A plain float32 product: the matMul path's tiles, gathering and Float32Array scores, without the addon.
    const matMul: ScoreMatMul = (a, b, c, m, n, dim) => {
      for (let r = 0; r < m; r++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < dim; k++) s += a[r * dim + k] * b[j * dim + k];
          c[r * n + j] = s;
        }
    };
    for (const integerScores of [false, true]) {
      for (let seed = 1; seed <= 3; seed++) {
        const input = randomInput(createRng(seed), integerScores);
        const whole = evaluateFullRanking({ ...input, perUser: true });
        const variants = [
          evaluateFullRanking({ ...input, perUser: true, tile: { users: 3, items: 10 } }),
          evaluateFullRanking({ ...input, perUser: true, tile: { users: 1, items: 1 } }),
          evaluateFullRanking({ ...input, perUser: true, matMul }),
          evaluateFullRanking({ ...input, perUser: true, matMul, tile: { users: 5, items: 7 } }),
        ];
        for (const v of variants) {
          // Integer scores are exact in float32 and float64 alike, ties included; real-valued ones may
          // differ in the last bits, never enough to reorder these items.
          expect(v).toEqual(whole);
        }
        const mean = (xs: Float64Array): number => xs.reduce((x, y) => x + y, 0) / xs.length;
        whole.atK.forEach((m, j) => expect(mean(whole.perUser!.recall[j])).toBeCloseTo(m.recall, 12));
      }
    }
  });
});

describe('buildUserItemLists', () => {
  it('groups pairs by user, sorted and without duplicates', () => {
    // Pairs: (2,5) (0,3) (2,1) (0,3) (2,5) (0,0); user 1 has none.
    const lists = buildUserItemLists(3, Int32Array.from([2, 0, 2, 0, 2, 0]), Int32Array.from([5, 3, 1, 3, 5, 0]));
    expect(Array.from(lists.offsets)).toEqual([0, 2, 2, 4]);
    expect(Array.from(lists.items)).toEqual([0, 3, 1, 5]);
  });

  it('rejects a user index outside the range', () => {
    expect(() => buildUserItemLists(2, Int32Array.from([2]), Int32Array.from([0]))).toThrow('buildUserItemLists: user index 2 outside [0, 2)');
  });
});
