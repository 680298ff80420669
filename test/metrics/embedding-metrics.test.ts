import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { alignment } from '../../src/metrics/alignment.js';
import { embeddingQuality } from '../../src/metrics/embedding-quality.js';
import { samplePairs } from '../../src/metrics/sample-pairs.js';
import { uniformity } from '../../src/metrics/uniformity.js';

describe('alignment', () => {
  // x = [(1,0), (0,1)], y = [(0,1), (0,1)]: squared distances 2 and 0.
  const x = new Float32Array([1, 0, 0, 1]);
  const y = new Float32Array([0, 1, 0, 1]);

  it('is the mean squared distance of positive pairs for alpha = 2', () => {
    expect(alignment(x, y, 2)).toBeCloseTo((2 + 0) / 2, 12); // = 1
  });

  it('raises the distance to alpha', () => {
    expect(alignment(x, y, 2, 1)).toBeCloseTo((Math.SQRT2 + 0) / 2, 6); // = 0.707107
  });

  it('rejects mismatched shapes', () => {
    expect(() => alignment(x, new Float32Array(2), 2)).toThrow('alignment: x and y must both be [n, 2], got lengths 4 and 2');
  });
});

describe('uniformity', () => {
  // Rows (1,0), (0,1), (-1,0): squared distances (0,1)=2, (0,2)=4, (1,2)=2.
  const emb = new Float32Array([1, 0, 0, 1, -1, 0]);

  it('is log of the mean Gaussian potential over all pairs', () => {
    // t=2: log((e^-4 + e^-8 + e^-4) / 3) = log((0.0366313 + 0.0003355) / 3) = log(0.0123223) = -4.39635
    const expected = Math.log((2 * Math.exp(-4) + Math.exp(-8)) / 3);
    expect(uniformity(emb, 2)).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(-4.39635, 4);
  });

  it('uses an explicit sample of pairs when given', () => {
    expect(uniformity(emb, 2, { pairs: new Int32Array([0, 2]) })).toBeCloseTo(-8, 10);
    expect(uniformity(emb, 2, { pairs: new Int32Array([0, 2]), t: 1 })).toBeCloseTo(-4, 10);
  });

  it('is 0, its maximum, for a collapsed encoder', () => {
    expect(uniformity(new Float32Array([0.6, 0.8, 0.6, 0.8, 0.6, 0.8]), 2)).toBe(0);
  });

  it('does not underflow for far-apart vectors', () => {
    // Squared distance 400: e^-800 underflows to 0, but log-sum-exp gives -800 exactly.
    expect(uniformity(new Float32Array([0, 0, 20, 0]), 2)).toBeCloseTo(-800, 8);
  });
});

describe('samplePairs', () => {
  it('draws pairs of distinct in-range rows, reproducibly', () => {
    const a = samplePairs(5, 200, createRng(3));
    expect(Array.from(a)).toEqual(Array.from(samplePairs(5, 200, createRng(3))));
    for (let p = 0; p < 200; p++) {
      expect(a[2 * p]).not.toBe(a[2 * p + 1]);
      expect(a[2 * p]).toBeGreaterThanOrEqual(0);
      expect(a[2 * p + 1]).toBeLessThan(5);
    }
    // Every ordered pair of the 5·4 = 20 is reachable; with 200 draws each appears (p(miss) < 1e-3).
    expect(new Set(Array.from({ length: 200 }, (_, p) => `${a[2 * p]},${a[2 * p + 1]}`)).size).toBe(20);
  });
});

describe('embeddingQuality', () => {
  // Users (1,0), (0,1); items (1,0), (0,1), (-1,0). Positives: u0–i0 (distance² 0), u1–i2 (distance² 2).
  const input = {
    userEmbeddings: new Float32Array([1, 0, 0, 1]),
    itemEmbeddings: new Float32Array([1, 0, 0, 1, -1, 0]),
    dim: 2,
    pairUsers: Int32Array.from([0, 1]),
    pairItems: Int32Array.from([0, 2]),
  };

  it('measures alignment over positive pairs and uniformity of each tower', () => {
    const q = embeddingQuality(input, createRng(1));
    expect(q.alignment).toBeCloseTo((0 + 2) / 2, 12);
    expect(q.userUniformity).toBeCloseTo(-4, 12); // one pair, distance² 2: log e^-4
    expect(q.itemUniformity).toBeCloseTo(Math.log((2 * Math.exp(-4) + Math.exp(-8)) / 3), 12); // -4.39635
  });

  it('samples pairs when there are too many, reproducibly', () => {
    const a = embeddingQuality({ ...input, maxUniformityPairs: 2 }, createRng(5));
    expect(embeddingQuality({ ...input, maxUniformityPairs: 2 }, createRng(5))).toEqual(a);
    // Two sampled item pairs: each term is e^-4 or e^-8, so the value lies in [-8, -4].
    expect(a.itemUniformity).toBeGreaterThanOrEqual(-8);
    expect(a.itemUniformity).toBeLessThanOrEqual(-4);
  });
});
