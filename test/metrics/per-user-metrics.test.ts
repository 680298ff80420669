import { describe, expect, it } from 'vitest';
import { hitRateAtK } from '../../src/metrics/hit-rate-at-k.js';
import { ndcgAtK } from '../../src/metrics/ndcg-at-k.js';
import { recallAtK } from '../../src/metrics/recall-at-k.js';

// One user: ranked list best first, ground truth T = {1, 2, 7} (item 7 is never ranked).
const ranked = [3, 1, 4, 0, 2];
const truth = new Set([1, 2, 7]);

describe('recallAtK', () => {
  it('divides the hits in the top K by |T|, not by min(K, |T|)', () => {
    // top3 = {3,1,4}: hits {1} → 1/3.  top5 adds 0, 2: hits {1,2} → 2/3.
    expect(recallAtK(ranked, truth, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, truth, 5)).toBeCloseTo(2 / 3, 12);
    // |T| = 3 > K = 1 and the hit is not in the top 1 → 0; RecBole still divides by 3.
    expect(recallAtK([1, 3], truth, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('reads only the first K of a longer list and returns 0 for an empty truth', () => {
    expect(recallAtK(ranked, truth, 1)).toBe(0);
    expect(recallAtK(ranked, new Set(), 5)).toBe(0);
  });
});

describe('ndcgAtK', () => {
  it('uses binary gains and IDCG over min(K, |T|) positions', () => {
    // K=3: DCG = 1/log2(3) (item 1 at rank 2) = 0.630930;
    //      IDCG = 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.630930 + 0.5 = 2.130930 → 0.296086
    expect(ndcgAtK(ranked, truth, 3)).toBeCloseTo(0.63092975 / 2.13092975, 7);
    // K=5: DCG = 1/log2(3) + 1/log2(6) (item 2 at rank 5) = 0.630930 + 0.386853 = 1.017783; IDCG same → 0.477624
    expect(ndcgAtK(ranked, truth, 5)).toBeCloseTo(1.01778256 / 2.13092975, 7);
  });

  it('caps the ideal at K when |T| > K', () => {
    // T = {0,1,2,3}, ranked [0,9,1], K=2: DCG = 1; IDCG over min(2,4) = 2 ranks = 1 + 0.630930 → 0.613147
    expect(ndcgAtK([0, 9, 1], new Set([0, 1, 2, 3]), 2)).toBeCloseTo(1 / 1.63092975, 7);
  });

  it('is 1 for a perfect ranking', () => {
    expect(ndcgAtK([2, 1, 5], new Set([1, 2]), 3)).toBe(1);
  });
});

describe('hitRateAtK', () => {
  it('is 1 when any of the top K is relevant', () => {
    expect(hitRateAtK(ranked, truth, 1)).toBe(0); // top1 = {3}
    expect(hitRateAtK(ranked, truth, 2)).toBe(1); // top2 = {3,1}
    expect(hitRateAtK([], truth, 10)).toBe(0);
  });
});
