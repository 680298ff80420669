import { describe, expect, it } from 'vitest';
import { gateDecision, type HoldoutScore, type PopularityFloor } from '../../src/retrain/gate-decision.js';
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
      reason: 'recall@20 0.2895 < active 0.3000 − tolerance 0.01 on the same hold-out (100 users)',
    });
  });

  it('without an active model only health and the popularity floor count', () => {
    expect(gateDecision(score({ recall: 0.05 }), undefined, LOW, cfg)).toEqual({ pass: true });
  });

  it('refuses a candidate below the most-popular ranking on the same hold-out, with or without an active model', () => {
    const floor: PopularityFloor = { recall: 0.152, ndcg: 0.09, users: 100 };
    const reason = 'recall@20 0.0240 < most-popular 0.1520 on the same hold-out (100 users)';
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
      reason: 'recall@20 0.1000 < active 0.3000 − tolerance 0.01 on the same hold-out (100 users)',
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
});
