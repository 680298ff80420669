import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { dropBagRows } from '../../src/model/bag-row-dropout.js';
import { insertBagRows } from '../../src/model/bag-row-insertion.js';
import { dropHistoryEdges } from '../../src/model/edge-dropout.js';
import { historyBag } from '../../src/model/two-tower-model.js';
import { OOV_ROW } from '../../src/data/vocabulary.js';
import { correlatedFeatureMask } from '../../src/model/correlated-feature-mask.js';
import { applyFieldMask, featureDropoutMask } from '../../src/model/feature-dropout.js';
import { createNegativeSampler } from '../../src/model/negative-sampler.js';

describe('featureDropoutMask', () => {
  it('drops each (entity, field) at the configured rate (fixed seeds)', () => {
    for (const [seed, rate] of [
      [1, 0.1],
      [2, 0.3],
      [3, 0.5],
    ] as const) {
      const mask = featureDropoutMask(2000, 5, rate, createRng(seed));
      const dropped = mask.reduce((s, v) => s + v, 0) / mask.length;
      // 10,000 Bernoulli(rate) draws: standard error ≤ 0.005
      expect(Math.abs(dropped - rate)).toBeLessThan(0.02);
    }
    expect(featureDropoutMask(100, 3, 0, createRng(1)).every((v) => v === 0)).toBe(true);
    expect(featureDropoutMask(100, 3, 1, createRng(1)).every((v) => v === 1)).toBe(true);
  });

  it('applyFieldMask empties exactly the masked bags and keeps the others intact', () => {
    // two fields, three entities; field 0 bags [1] [2] [3, 4]; field 1 bags [5] [6, 7] [8]
    const bags = [
      { offsets: Int32Array.from([0, 1, 2, 4]), rows: Int32Array.from([1, 2, 3, 4]) },
      { offsets: Int32Array.from([0, 1, 3, 4]), rows: Int32Array.from([5, 6, 7, 8]) },
    ];
    // mask [B·F]: entity 0 drops field 1, entity 2 drops field 0
    const out = applyFieldMask(bags, Uint8Array.from([0, 1, 0, 0, 1, 0]));
    expect(Array.from(out[0].offsets)).toEqual([0, 1, 2, 2]);
    expect(Array.from(out[0].rows)).toEqual([1, 2]);
    expect(Array.from(out[1].offsets)).toEqual([0, 0, 2, 3]);
    expect(Array.from(out[1].rows)).toEqual([6, 7, 8]);
  });
});

describe('correlatedFeatureMask', () => {
  it('drops the seed field with its most correlated fields, ⌈rate·F⌉ in all', () => {
    // 4 fields; field 0 ~ field 2 strongly, field 1 ~ field 3 strongly.
    const c = Float64Array.from([1, 0.1, 0.9, 0.2, 0.1, 1, 0.3, 0.8, 0.9, 0.3, 1, 0, 0.2, 0.8, 0, 1]);
    const mask = correlatedFeatureMask(500, 4, c, 0.5, createRng(7));
    const seen = new Set<string>();
    for (let b = 0; b < 500; b++) {
      const row = Array.from(mask.subarray(b * 4, b * 4 + 4)).join('');
      seen.add(row);
    }
    // seed 0 → {0, 2}; seed 2 → {2, 0}; seed 1 → {1, 3}; seed 3 → {3, 1}
    expect([...seen].sort()).toEqual(['0101', '1010']);
  });
});

describe('dropBagRows', () => {
  it('drops history items at the configured rate', () => {
    const n = 1000;
    const bags = { offsets: Int32Array.from({ length: n + 1 }, (_, b) => b * 10), rows: Int32Array.from({ length: n * 10 }, (_, k) => k) };
    const out = dropBagRows(bags, 0.3, createRng(5));
    expect(Math.abs(out.rows.length / (n * 10) - 0.7)).toBeLessThan(0.02);
    // kept rows stay in their own bag, in order
    for (let b = 0; b < n; b++) for (let p = out.offsets[b]; p < out.offsets[b + 1]; p++) expect(Math.floor(out.rows[p] / 10)).toBe(b);
  });
});

describe('insertBagRows', () => {
  const bags = { offsets: Int32Array.from([0, 2, 3, 3]), rows: Int32Array.from([1, 2, 3]) };

  it("at rate 1 adds one pool row per row, after the bag's own; at rate 0, or from an empty pool, nothing", () => {
    const out = insertBagRows(bags, 1, Int32Array.from([9]), createRng(1));
    expect(Array.from(out.offsets)).toEqual([0, 4, 6, 6]);
    expect(Array.from(out.rows)).toEqual([1, 2, 9, 9, 3, 9]);
    for (const same of [insertBagRows(bags, 0, Int32Array.from([9]), createRng(1)), insertBagRows(bags, 1, new Int32Array(0), createRng(1))]) {
      expect(same).toEqual({ offsets: bags.offsets, rows: bags.rows });
    }
  });

  it('replays the rule: one draw per row, and a pool pick for each draw below the rate', () => {
    const pool = Int32Array.from([7, 8, 9]);
    const replay = createRng(3);
    const expected: number[][] = [[1, 2], [3], []];
    for (const bag of expected) for (const _ of [...bag]) if (replay.next() < 0.5) bag.push(pool[replay.int(3)]);
    const out = insertBagRows(bags, 0.5, pool, createRng(3));
    expect(Array.from(out.rows)).toEqual(expected.flat());
    expect(Array.from(out.offsets)).toEqual([0, expected[0].length, expected[0].length + expected[1].length, expected.flat().length]);
  });

  it('adds rows at the configured rate, each from the pool', () => {
    const n = 1000;
    const many = { offsets: Int32Array.from({ length: n + 1 }, (_, b) => b * 10), rows: Int32Array.from({ length: n * 10 }, (_, k) => k) };
    const out = insertBagRows(many, 0.2, Int32Array.from([100000, 100001]), createRng(5));
    expect(Math.abs(out.rows.length / (n * 10) - 1.2)).toBeLessThan(0.02);
    for (let b = 0; b < n; b++) {
      const own = Array.from(out.rows.subarray(out.offsets[b], out.offsets[b] + 10));
      expect(own).toEqual(Array.from({ length: 10 }, (_, k) => b * 10 + k));
      for (let p = out.offsets[b] + 10; p < out.offsets[b + 1]; p++) expect(out.rows[p]).toBeGreaterThanOrEqual(100000);
    }
  });
});

describe('dropHistoryEdges', () => {
  // user 0's interactions are rows 10..14 (positions 0..4), user 1's rows 20..22 (positions 5..7)
  const history = { offsets: Int32Array.from([0, 5, 8]), rows: Int32Array.from([10, 11, 12, 13, 14, 20, 21, 22]) };

  it('drops edges before the window is cut, one mask per user, and moves the window onto what is left', () => {
    // The rule replayed: one draw per edge of each user, users in order of first appearance, kept when ≥ rate.
    const replay = createRng(7);
    const keep0 = Array.from({ length: 5 }, () => replay.next() >= 0.5);
    const keep1 = Array.from({ length: 3 }, () => replay.next() >= 0.5);
    const kept = (keep: boolean[], rows: number[], end: number) => rows.slice(0, end).filter((_, k) => keep[k]);
    // batch: user 0 before position 4, user 1 before position 8 (all), user 0 again before position 2
    const v = dropHistoryEdges(history, [0, 1, 0], { kind: 'before', ends: Int32Array.from([4, 8, 2]) }, 0.5, createRng(7));
    const expected = [kept(keep0, [10, 11, 12, 13], 4), kept(keep1, [20, 21, 22], 3), kept(keep0, [10, 11], 2)];
    expect(Array.from(v.history.rows)).toEqual(expected.flat());
    const ends = expected.map((_, b) => expected.slice(0, b + 1).flat().length);
    expect(v.window).toEqual({ kind: 'before', ends: Int32Array.from(ends) });
    // The cap applies after the dropout: the last 2 kept edges (older ones move up), OOV when none is left.
    const bag = historyBag(v.history, [0, 1, 2], v.window, 2);
    const lastTwo = expected.map((rows) => (rows.length === 0 ? [OOV_ROW] : rows.slice(-2)));
    expect(Array.from(bag.rows)).toEqual(lastTwo.flat());
  });

  it('keeps the target of a leave-target-out window, which the bag then leaves out', () => {
    // rate 1: every edge dropped but the targets (positions 2 and 6) → bags of nothing but OOV
    const v = dropHistoryEdges(history, [0, 1], { kind: 'all-but', self: Int32Array.from([2, 6]), rng: createRng(1) }, 1, createRng(3));
    expect(Array.from(v.history.rows)).toEqual([12, 21]);
    expect(v.window.kind === 'all-but' && Array.from(v.window.self)).toEqual([0, 1]);
    expect(Array.from(historyBag(v.history, [0, 1], v.window, 50).rows)).toEqual([OOV_ROW, OOV_ROW]);
    // rate 0: the view is the history itself, the windows unchanged
    const all = dropHistoryEdges(
      history,
      [1, 0],
      { kind: 'all-but', self: Int32Array.from([5, 0]), rng: createRng(1), ends: Int32Array.from([7, 3]) },
      0,
      createRng(3),
    );
    expect(Array.from(all.history.rows)).toEqual([20, 21, 10, 11, 12]);
    expect(all.window.kind === 'all-but' && [Array.from(all.window.self), Array.from(all.window.ends!)]).toEqual([
      [0, 2],
      [2, 5],
    ]);
  });

  it('drops edges at the configured rate, independently per call', () => {
    const n = 200;
    const big = { offsets: Int32Array.from({ length: n + 1 }, (_, u) => u * 50), rows: Int32Array.from({ length: n * 50 }, (_, k) => k) };
    const users = Int32Array.from({ length: n }, (_, u) => u);
    const window = { kind: 'before', ends: Int32Array.from({ length: n }, (_, u) => (u + 1) * 50) } as const;
    const rng = createRng(11);
    const a = dropHistoryEdges(big, users, window, 0.3, rng);
    const b = dropHistoryEdges(big, users, window, 0.3, rng);
    // 10,000 Bernoulli(0.7) draws: standard error ≈ 0.005
    expect(Math.abs(a.history.rows.length / (n * 50) - 0.7)).toBeLessThan(0.02);
    expect(Array.from(a.history.rows)).not.toEqual(Array.from(b.history.rows));
  });
});

describe('createNegativeSampler', () => {
  it('popularity^β: probabilities and empirical frequencies match (fixed seed)', () => {
    // counts [1, 4, 9, 0], β = 0.5 → weights [1, 2, 3, 0] → p = [1/6, 2/6, 3/6, 0]
    const s = createNegativeSampler([1, 4, 9, 0], 'popularity', 0.5);
    expect(Array.from(s.probability)).toEqual([1 / 6, 2 / 6, 3 / 6, 0]);
    const draws = s.sample(60000, createRng(3));
    const freq = [0, 0, 0, 0];
    for (const d of draws) freq[d]++;
    freq.forEach((f, i) => expect(Math.abs(f / 60000 - s.probability[i])).toBeLessThan(0.01));
  });

  it('uniform: every item 1/n', () => {
    const s = createNegativeSampler([5, 0, 1], 'uniform', 0.75);
    expect(Array.from(s.probability)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(s.sample(5, createRng(1)))).toEqual(Array.from(s.sample(5, createRng(1))));
  });
});

describe('fieldMutualInformation', () => {
  it('1 for a copy, 0 for an independent field, 0 for a constant one', async () => {
    const { fieldMutualInformation } = await import('../../src/model/field-correlation.js');
    const col = (rows: number[]) => ({ offsets: Int32Array.from({ length: rows.length + 1 }, (_, i) => i), rows: Int32Array.from(rows) });
    // f0 = [1,1,2,2], f1 = copy, f2 = [1,2,1,2] (independent of f0), f3 constant
    const m = fieldMutualInformation([col([1, 1, 2, 2]), col([3, 3, 4, 4]), col([1, 2, 1, 2]), col([5, 5, 5, 5])], 4);
    expect(m[0 * 4 + 1]).toBeCloseTo(1, 10);
    expect(m[0 * 4 + 2]).toBeCloseTo(0, 10);
    expect(m[0 * 4 + 3]).toBe(0);
    expect(m[1 * 4 + 0]).toBe(m[0 * 4 + 1]);
  });
});
