import { describe, expect, it } from 'vitest';
import { lowestScoredMask, syntheticDetectorScores } from '../../bench/synthetic-detector.js';
import { createRng } from '../../src/common/rng.js';

/** The share of (real, stray) pairs that the scores order correctly (a tie counts as wrong; normal scores have none). */
function empiricalAuc(isReal: Uint8Array, scores: Float64Array): number {
  const real = scores.filter((_, k) => isReal[k] === 1);
  const stray = scores.filter((_, k) => isReal[k] === 0).sort();
  let wins = 0;
  for (const r of real) {
    let lo = 0;
    let hi = stray.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (stray[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    wins += lo;
  }
  return wins / (real.length * stray.length);
}

describe('a synthetic detector of stray pairs', () => {
  it('shifts a real pair up by exactly 1 at AUC Φ(1/√2) and not at all at AUC 0.5', () => {
    const isReal = Uint8Array.from([1, 0, 1, 0]);
    const raw = createRng(5);
    const normals = Array.from(isReal, () => raw.normal());
    const at = (auc: number) => Array.from(syntheticDetectorScores(isReal, auc, createRng(5)));
    // Φ(1/√2) = 0.760249938588: two unit normals 1 apart are ordered right that often. Three
    // decimals: simple-statistics' probit approximates the inverse error function.
    at(0.760249938588).forEach((s, k) => expect(s).toBeCloseTo(normals[k] + isReal[k], 3));
    at(0.5).forEach((s, k) => expect(s).toBeCloseTo(normals[k], 12));
  });

  it('orders real above stray pairs with the asked-for chance', () => {
    const isReal = Uint8Array.from({ length: 20_000 }, (_, k) => (k % 5 === 0 ? 0 : 1));
    for (const auc of [0.63, 0.85, 0.95, 0.99]) {
      expect(empiricalAuc(isReal, syntheticDetectorScores(isReal, auc, createRng(11)))).toBeCloseTo(auc, 2);
    }
  });

  it('refuses an AUC outside [0.5, 1)', () => {
    expect(() => syntheticDetectorScores(Uint8Array.of(1), 1, createRng(1))).toThrow(/AUC 1 is not/);
    expect(() => syntheticDetectorScores(Uint8Array.of(1), 0.4, createRng(1))).toThrow(/AUC 0.4 is not/);
  });

  it('marks the lowest scores, ties broken by position', () => {
    const scores = Float64Array.of(0.3, -1, 2, -1, 0);
    expect(Array.from(lowestScoredMask(scores, 2))).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(lowestScoredMask(scores, 3))).toEqual([0, 1, 0, 1, 1]);
    expect(Array.from(lowestScoredMask(scores, 0))).toEqual([0, 0, 0, 0, 0]);
  });
});
