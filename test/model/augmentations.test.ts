import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { dropBagRows } from '../../src/model/bag-row-dropout.js';
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
