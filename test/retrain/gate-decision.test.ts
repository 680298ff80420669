import { describe, expect, it } from 'vitest';
import { pairedDifference } from '../../src/metrics/paired-difference.js';
import { formatDifference, gateDecision, type HoldoutScore, type PopularityFloor } from '../../src/retrain/gate-decision.js';
import { DEFAULT_RETRAIN_CONFIG } from '../../src/retrain/retrain-config.js';

const score = (s: Partial<HoldoutScore>): HoldoutScore => ({
  recall: 0.3,
  ndcg: 0.2,
  alignment: 1.2,
  randomAlignment: 2,
  itemUniformity: -2,
  users: 100,
  ...s,
});
const cfg = { ...DEFAULT_RETRAIN_CONFIG, tolerance: 0.01, k: 20 };
/** A popularity floor well below every candidate of the older cases, so that they test what they did before. */
const LOW: PopularityFloor = { recall: 0.05, ndcg: 0.03, users: 100 };

describe('gateDecision', () => {
  it('passes a candidate within the tolerance below the active recall, and fails one just outside', () => {
    // active 0.30: the bar is 0.30 − 0.01 = 0.29
    expect(gateDecision(score({ recall: 0.2905 }), score({ recall: 0.3 }), LOW, cfg)).toEqual({ pass: true });
    expect(gateDecision(score({ recall: 0.2895 }), score({ recall: 0.3 }), LOW, cfg)).toEqual({
      pass: false,
      reason: 'recall@20 0.2895 < active 0.3000 − max(tolerance 0.01, 2 × SE 0.0000) on the same hold-out (100 users)',
    });
  });

  it('without an active model only health and the popularity floor count', () => {
    expect(gateDecision(score({ recall: 0.05 }), undefined, LOW, cfg)).toEqual({ pass: true });
  });

  it('refuses a candidate below the most-popular ranking on the same hold-out, with or without an active model', () => {
    const floor: PopularityFloor = { recall: 0.152, ndcg: 0.09, users: 100 };
    const reason = 'recall@20 0.0240 < most-popular 0.1520 (SE of the difference 0.0000) on the same hold-out (100 users)';
    expect(gateDecision(score({ recall: 0.024 }), undefined, floor, cfg)).toEqual({ pass: false, reason });
    // The active model is as bad: within tolerance of it, yet below the floor.
    expect(gateDecision(score({ recall: 0.024 }), score({ recall: 0.03 }), floor, cfg)).toEqual({ pass: false, reason });
    // No tolerance on the floor: just below fails, equal passes.
    expect(gateDecision(score({ recall: 0.1519 }), undefined, floor, cfg).pass).toBe(false);
    expect(gateDecision(score({ recall: 0.152 }), undefined, floor, cfg)).toEqual({ pass: true });
  });

  it('passes a candidate above the most-popular ranking that also clears the active bar', () => {
    const floor: PopularityFloor = { recall: 0.152, ndcg: 0.09, users: 100 };
    expect(gateDecision(score({ recall: 0.3 }), score({ recall: 0.3 }), floor, cfg)).toEqual({ pass: true });
  });

  it('names the active model first when the candidate falls below both bars', () => {
    const floor: PopularityFloor = { recall: 0.2, ndcg: 0.1, users: 100 };
    expect(gateDecision(score({ recall: 0.1 }), score({ recall: 0.3 }), floor, cfg)).toEqual({
      pass: false,
      reason: 'recall@20 0.1000 < active 0.3000 − max(tolerance 0.01, 2 × SE 0.0000) on the same hold-out (100 users)',
    });
  });

  it('fails a diverged model (NaN or Inf anywhere) before anything else', () => {
    expect(gateDecision(score({ alignment: Number.NaN }), score({}), LOW, cfg)).toEqual({ pass: false, reason: 'diverged: alignment on the hold-out is NaN' });
    expect(gateDecision(score({ recall: Number.POSITIVE_INFINITY }), undefined, LOW, cfg)).toEqual({
      pass: false,
      reason: 'diverged: recall on the hold-out is Infinity',
    });
  });

  it('fails a collapsed model by uniformity or by alignment, even with good recall', () => {
    // all items on one point: every pair at distance 0 → uniformity log E exp(0) = 0 > −0.1
    expect(gateDecision(score({ recall: 0.9, itemUniformity: 0 }), score({}), LOW, cfg)).toEqual({
      pass: false,
      reason: 'collapsed: item uniformity 0.0000 > bound -0.1 (items crowd onto one point)',
    });
    // alignment 2.05 against 2.0 for random pairs: positives are no closer than random ones
    expect(gateDecision(score({ alignment: 2.05 }), score({}), LOW, cfg)).toEqual({
      pass: false,
      reason: 'collapsed: alignment 2.0500 > 1 × 2.0000 of random user-item pairs (held-out pairs no closer than random ones)',
    });
    // towers apart on the sphere: both numbers above 2, positives still closer → pass
    expect(gateDecision(score({ alignment: 2.5, randomAlignment: 3.1 }), score({}), LOW, cfg)).toEqual({ pass: true });
  });

  describe('with the noise of the sampled hold-out (2 × the standard error of the paired difference)', () => {
    it('passes a drop below the active model within the noise, and refuses one beyond it', () => {
      // active 0.30, SE 0.02: the bar is 0.30 − max(0.01, 0.04) = 0.26.
      const noise = { versusActive: 0.02, versusMostPop: 0.001 };
      expect(gateDecision(score({ recall: 0.265 }), score({ recall: 0.3 }), LOW, cfg, noise)).toEqual({ pass: true });
      expect(gateDecision(score({ recall: 0.255 }), score({ recall: 0.3 }), LOW, cfg, noise)).toEqual({
        pass: false,
        reason: 'recall@20 0.2550 < active 0.3000 − max(tolerance 0.01, 2 × SE 0.0200) on the same hold-out (100 users)',
      });
    });

    it('keeps the tolerance as a floor when the noise is smaller', () => {
      // SE 0.001: 2 × SE = 0.002 < tolerance 0.01, so the bar is 0.29, as without noise.
      const noise = { versusActive: 0.001, versusMostPop: 0.001 };
      expect(gateDecision(score({ recall: 0.2905 }), score({ recall: 0.3 }), LOW, cfg, noise)).toEqual({ pass: true });
      expect(gateDecision(score({ recall: 0.2895 }), score({ recall: 0.3 }), LOW, cfg, noise).pass).toBe(false);
    });

    it('gives the most-popular floor no allowance for noise: below it is refused, even within 2 × SE', () => {
      const floor: PopularityFloor = { recall: 0.152, ndcg: 0.09, users: 100 };
      const noise = { versusActive: 0, versusMostPop: 0.01 };
      expect(gateDecision(score({ recall: 0.152 }), undefined, floor, cfg, noise)).toEqual({ pass: true });
      expect(gateDecision(score({ recall: 0.15 }), undefined, floor, cfg, noise)).toEqual({
        pass: false,
        reason: 'recall@20 0.1500 < most-popular 0.1520 (SE of the difference 0.0100) on the same hold-out (100 users)',
      });
    });

    it('judges per-user recalls through pairedDifference: noise passes, a consistent drop of the same size refuses', () => {
      const cfg0 = { ...cfg, tolerance: 0 };
      // 8 users; the candidate loses 0.5 on two of them and gains 0.5 on one: mean −0.0625.
      // d = [−0.5, −0.5, 0.5, 0, 0, 0, 0, 0]: Σd² = 0.75, sd² = (0.75 − 8 · 0.0625²) / 7 = 0.1026786,
      // SE = √(sd² / 8) = 0.1132909; the bar 2 × SE = 0.2266 is far above the drop: noise, pass.
      const active = [1, 1, 0, 0.5, 0.5, 0, 1, 0];
      const noisy = [0.5, 0.5, 0.5, 0.5, 0.5, 0, 1, 0];
      const a = pairedDifference(noisy, active);
      expect(a.difference).toBeCloseTo(-0.0625, 12);
      expect(a.standardError).toBeCloseTo(0.11329087, 7);
      const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / xs.length;
      const s = (xs: number[]): HoldoutScore => score({ recall: mean(xs), users: xs.length });
      expect(gateDecision(s(noisy), s(active), LOW, cfg0, { versusActive: a.standardError, versusMostPop: 0 })).toEqual({ pass: true });
      // Other users, each of whom loses 0.0625 ± 0.001: the same mean drop, hardly any spread.
      const steady = [1, 1, 0.5, 0.5, 0.5, 0.25, 1, 0.75];
      const consistent = steady.map((x, i) => x - 0.0625 + (i % 2 === 0 ? 0.001 : -0.001));
      const b = pairedDifference(consistent, steady);
      expect(b.difference).toBeCloseTo(-0.0625, 12);
      expect(b.standardError).toBeLessThan(0.001);
      const refused = gateDecision(s(consistent), s(steady), LOW, cfg0, { versusActive: b.standardError, versusMostPop: 0 });
      expect(refused.pass).toBe(false);
      expect(formatDifference(b)).toBe('-0.0625 ± SE 0.0004 on 8 users');
    });
  });
});
