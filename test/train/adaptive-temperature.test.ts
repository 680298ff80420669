import { describe, expect, it } from 'vitest';
import { adaptiveTemperature, scoreStatistics, type ScoreStatistics } from '../../src/train/adaptive-temperature.js';

// Two users and four items on the unit circle (dim 2); user 2 has no training pair.
const users = Float32Array.from([1, 0, 0, 1, 0.6, 0.8]);
const items = Float32Array.from([1, 0, 0, 1, 0.6, 0.8, -1, 0]);
// Pairs (0,0) (0,2) (1,1) (0,0): user 0 appears three times, item 0 twice.
const pairUsers = Int32Array.from([0, 0, 1, 0]);
const pairItems = Int32Array.from([0, 2, 1, 0]);

describe('scoreStatistics', () => {
  it('means the pair scores, and each user with pairs once against the mean item', () => {
    const s = scoreStatistics(users, items, 2, pairUsers, pairItems);
    // pair scores 1, 0.6, 1, 1 → 0.9; mean item (0.15, 0.45): user 0 → 0.15, user 1 → 0.45 (user 2 has no pair)
    expect(s.positiveMean).toBeCloseTo(0.9, 6);
    expect(s.catalogueMean).toBeCloseTo(0.3, 6);
    expect([s.users, s.pairs, s.items]).toEqual([2, 4, 4]);
  });

  it('is zero with no pairs', () => {
    const s = scoreStatistics(users, items, 2, new Int32Array(0), new Int32Array(0));
    expect(s).toEqual({ positiveMean: 0, catalogueMean: 0, users: 0, pairs: 0, items: 4 });
  });
});

describe('adaptiveTemperature', () => {
  // s⁺ 0.9, s̄ 0.3, 2 users, 3 pairs, 8 items: τ = 0.6 / (ln(8·2/3) − ln 2) = 0.6 / ln(8/3) = 0.611727
  const stats: ScoreStatistics = { positiveMean: 0.9, catalogueMean: 0.3, users: 2, pairs: 3, items: 8 };

  it('is the margin over ln(I·U/P) − ln 2, by hand', () => {
    expect(adaptiveTemperature(stats, 0.01, 10)).toBeCloseTo(0.611727, 6);
  });

  it("puts half of a user's softmax mass on their positives at the τ it returns", () => {
    const tau = adaptiveTemperature(stats, 0.01, 10)!;
    const positivesMass = (stats.pairs / stats.users) * Math.exp(stats.positiveMean / tau);
    const catalogueMass = stats.items * Math.exp(stats.catalogueMean / tau);
    expect(positivesMass / catalogueMass).toBeCloseTo(0.5, 9);
  });

  it('sharpens for a sparser log at the same margin, softens for a wider margin', () => {
    const base = adaptiveTemperature(stats, 0.01, 10)!;
    expect(adaptiveTemperature({ ...stats, items: 80 }, 0.01, 10)!).toBeLessThan(base);
    expect(adaptiveTemperature({ ...stats, positiveMean: 1 }, 0.01, 10)!).toBeGreaterThan(base);
  });

  it('clamps to [min, max]', () => {
    expect(adaptiveTemperature(stats, 0.01, 0.5)).toBe(0.5);
    expect(adaptiveTemperature({ ...stats, positiveMean: 0.30001 }, 0.03, 10)).toBe(0.03);
  });

  it('has no answer without a margin, without pairs, or on a log where positives fill half the catalogue', () => {
    expect(adaptiveTemperature({ ...stats, positiveMean: 0.3 }, 0.01, 10)).toBeNull();
    expect(adaptiveTemperature({ ...stats, positiveMean: 0.1 }, 0.01, 10)).toBeNull();
    expect(adaptiveTemperature({ ...stats, pairs: 0 }, 0.01, 10)).toBeNull();
    // 3 items, 3 positives per user: I·U/P = 1 ≤ 2
    expect(adaptiveTemperature({ ...stats, items: 3, pairs: 6 }, 0.01, 10)).toBeNull();
  });
});
