import { describe, expect, it } from 'vitest';
import { coverageAtK } from '../../src/metrics/coverage-at-k.js';
import { headItemMask } from '../../src/metrics/head-item-mask.js';
import { subsetRecallAtK } from '../../src/metrics/subset-recall-at-k.js';

describe('coverageAtK', () => {
  it('counts distinct items over all users top K, divided by the catalogue size', () => {
    const rankings = [
      [0, 1, 2],
      [1, 2, 3],
    ];
    // K=2: {0,1} ∪ {1,2} = {0,1,2} → 3/10.  K=3: adds 3 → 4/10.
    expect(coverageAtK(rankings, 10, 2)).toBeCloseTo(0.3, 12);
    expect(coverageAtK(rankings, 10, 3)).toBeCloseTo(0.4, 12);
  });

  it('rejects an empty catalogue', () => {
    expect(() => coverageAtK([], 0, 10)).toThrow('coverageAtK: numItems must be positive, got 0');
  });
});

describe('headItemMask', () => {
  it('marks the most popular 20% of items as head', () => {
    // 10 items → head size floor(2 + 0.5) = 2: item 2 (9) and item 6 (7).
    const mask = headItemMask([5, 1, 9, 1, 0, 3, 7, 2, 2, 4]);
    expect(Array.from(mask)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('breaks popularity ties by lower item index', () => {
    // 5 equal items, fraction 0.4 → floor(2 + 0.5) = 2 head items: 0 and 1.
    expect(Array.from(headItemMask([1, 1, 1, 1, 1], 0.4))).toEqual([1, 1, 0, 0, 0]);
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => headItemMask([1, 2], 1.5)).toThrow('headItemMask: headFraction must be in [0, 1], got 1.5');
  });
});

describe('subsetRecallAtK', () => {
  // Head = {2, 6}. Ranked [2,5,0,6]; T = {0, 6, 8}: tail part {0, 8}, head part {6}.
  const mask = new Uint8Array([0, 0, 1, 0, 0, 0, 1, 0, 0]);
  const truthItems = [0, 6, 8];
  const truth = new Set(truthItems);
  const ranked = [2, 5, 0, 6];

  it('measures recall on tail and head truth items separately', () => {
    // K=2: top {2,5}: no tail hit (0/2), no head hit (0/1).
    expect(subsetRecallAtK(ranked, truthItems, truth, mask, 0, 2)).toBe(0);
    expect(subsetRecallAtK(ranked, truthItems, truth, mask, 1, 2)).toBe(0);
    // K=4: tail hit 0 → 1/2; head hit 6 → 1/1.
    expect(subsetRecallAtK(ranked, truthItems, truth, mask, 0, 4)).toBe(0.5);
    expect(subsetRecallAtK(ranked, truthItems, truth, mask, 1, 4)).toBe(1);
  });

  it('skips a user with no truth item in the subset', () => {
    expect(subsetRecallAtK(ranked, [0, 8], new Set([0, 8]), mask, 1, 4)).toBeUndefined();
  });
});
