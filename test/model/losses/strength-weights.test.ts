import { describe, expect, it } from 'vitest';
import { strengthWeights } from '../../../src/model/losses/strength-weights.js';

describe('strengthWeights', () => {
  it('1 + ln(1 + s), scaled to mean 1 over the rows; a negative strength counts as 0', () => {
    // s = [0, 1, e − 1, 3, −2] → w̃ = [1, 1 + ln 2, 2, 1 + ln 4, 1] = [1, 1.693147, 2, 2.386294, 1], mean 1.615888
    // → w = w̃ / 1.615888 = [0.618855, 1.047812, 1.237709, 1.476769, 0.618855]
    const w = strengthWeights([0, 1, Math.E - 1, 3, -2]);
    const expected = [0.618855, 1.047812, 1.237709, 1.476769, 0.618855];
    expect(w).toHaveLength(5);
    w.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(5, 5);
  });

  it('gives every row weight 1 when the strengths are equal, and nothing for no rows', () => {
    expect([...strengthWeights([7, 7, 7])]).toEqual([1, 1, 1]);
    expect(strengthWeights([])).toHaveLength(0);
  });

  it('treats a non-finite strength as 0', () => {
    // s = [NaN, e − 1] → w̃ = [1, 2], mean 1.5 → [2/3, 4/3]
    const w = strengthWeights([Number.NaN, Math.E - 1]);
    expect(w[0]).toBeCloseTo(2 / 3, 6);
    expect(w[1]).toBeCloseTo(4 / 3, 6);
  });
});
