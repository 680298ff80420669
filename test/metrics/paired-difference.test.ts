import { describe, expect, it } from 'vitest';
import { pairedDifference } from '../../src/metrics/paired-difference.js';

describe('pairedDifference', () => {
  it('gives the mean per-user difference and its standard error sd/√n (hand-checked)', () => {
    // d = a − b = [0.5, −0.5, 0, 0.5]: mean 0.125; deviations 0.375, −0.625, −0.125, 0.375;
    // squares sum 0.140625 + 0.390625 + 0.015625 + 0.140625 = 0.6875; sd² = 0.6875 / 3;
    // SE = √(0.6875 / 3 / 4) = 0.2393567...
    const r = pairedDifference([1, 0, 0.5, 0.5], [0.5, 0.5, 0.5, 0]);
    expect(r.users).toBe(4);
    expect(r.difference).toBeCloseTo(0.125, 15);
    expect(r.standardError).toBeCloseTo(0.23935677693908453, 15);
  });

  it('is 0 when every user moves by the same amount: pairing removes how hard each user is', () => {
    // Either mean alone varies a lot over these users; their difference does not at all.
    const r = pairedDifference([0.9, 0.1, 0.5], [0.8, 0.0, 0.4]);
    expect(r.difference).toBeCloseTo(0.1, 12);
    expect(r.standardError).toBeCloseTo(0, 12);
  });

  it('shrinks as 1/√n for the same spread of differences', () => {
    const pattern = [1, 0, 0, 0];
    const se = (copies: number): number => {
      const a = Array.from({ length: 4 * copies }, (_, i) => pattern[i % 4]);
      return pairedDifference(a, new Array<number>(a.length).fill(0)).standardError;
    };
    // sd → √(3/16) as n grows; the ratio of SEs at 4× the users tends to 1/2.
    expect(se(400) / se(100)).toBeCloseTo(0.5, 2);
  });

  it('has no standard error below two users, and refuses figures of different users', () => {
    expect(pairedDifference([], [])).toEqual({ difference: 0, standardError: 0, users: 0 });
    expect(pairedDifference([0.75], [0.25])).toEqual({ difference: 0.5, standardError: 0, users: 1 });
    expect(() => pairedDifference([1, 0], [1])).toThrow('pairedDifference: 2 figures against 1; they must be of the same users');
  });
});
