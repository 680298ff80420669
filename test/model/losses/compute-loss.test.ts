import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/kernels/select-backend.js';
import { computeLoss, type LossConfig } from '../../../src/model/losses/compute-loss.js';

const kernels = await selectBackend('cpu');

const BASE: LossConfig = {
  kind: 'infonce',
  temperature: 0.5,
  logQ: false,
  maskAccidentalHits: false,
  itemSslWeight: 0,
  userSslWeight: 0,
  sslTemperature: 0.5,
  truncationMaxRate: 0,
  truncationRampSteps: 0,
  rinceQ: 0,
  rinceLambda: 0.01,
  rinceRelative: false,
  agreementSharpness: 0,
  reweightBeta: 0,
};

// users u0 = [1, 0], u1 = [0, 1]; candidates c0 = [1, 0] (u0's positive), c1 = [0, 1] (u1's), c2 = [0.6, 0.8] (global)
const users = (): tf.Tensor2D =>
  tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);
const candidates = (): tf.Tensor2D =>
  tf.tensor2d([
    [1, 0],
    [0, 1],
    [0.6, 0.8],
  ]);
// Two user views: A = the users (cosines with the positives 1, 1), B = [[1, 0], [1, 0]] (cosines 1, 0).
const disagreeingViews = (): readonly [tf.Tensor2D, tf.Tensor2D] => [
  users(),
  tf.tensor2d([
    [1, 0],
    [1, 0],
  ]),
];

describe('computeLoss', () => {
  it('InfoNCE: scores ÷ τ then mean softmax cross-entropy', () => {
    // S = U·Cᵀ = [[1, 0, 0.6], [0, 1, 0.8]], ÷0.5 → [[2, 0, 1.2], [0, 2, 1.6]]
    // ℓ0 = log(e² + 1 + e^1.2) − 2 = 0.460373 ; ℓ1 = log(1 + e² + e^1.6) − 2 = 0.590924 ; mean 0.525648
    const v = computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, BASE);
    expect(v.main.arraySync()).toBeCloseTo(0.525648, 4);
    expect(v.total.arraySync()).toBeCloseTo(0.525648, 4);
    expect(v.itemSsl).toBeNull();
  });

  /** The batch of the logits [[2, 0, 1.2], [0, 2, 1.6]], q = [0.5, 0.5, 0.25], item 3 the positive of row 0 and candidate 2. */
  const loggedMaskedBatch = () => ({
    users: users(),
    candidates: candidates(),
    candidateQ: tf.tensor1d([0.5, 0.5, 0.25]),
    positiveIds: Int32Array.from([3, 4]),
    candidateIds: Int32Array.from([3, 4, 3]),
    step: 0,
  });

  it('logQ then accidental-hit masking, in that order', () => {
    // q = [0.5, 0.5, 0.25] → +log 2, +log 2, +log 4 on the columns of [[2, 0, 1.2], [0, 2, 1.6]]
    // candidate ids [3, 4, 3]: row 0 (item 3) hits column 2 → masked
    // ℓ0 = log(e^(2+ln2) + e^(0+ln2)) − (2+ln2) = log(1 + e⁻²) = 0.126928
    // ℓ1 = log(2 + 2e² + 4e^1.6) − (2 + ln2) = log(16.778112 + 19.812130) − 2.693147 = 0.906634
    const v = computeLoss(kernels.matMuls, loggedMaskedBatch(), { ...BASE, logQ: true, maskAccidentalHits: true });
    expect(v.main.arraySync()).toBeCloseTo((0.126928 + 0.906634) / 2, 4);
  });

  it('adds α times the SSL terms', () => {
    const views = [users(), users()] as const;
    const v = computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), itemViews: views, step: 0 }, { ...BASE, itemSslWeight: 0.5 });
    // SSL of identical orthogonal views, τ 0.5: S = [[2, 0], [0, 2]], ℓ = log(e² + 1) − 2 = 0.126928 both ways
    expect(v.itemSsl!.arraySync()).toBeCloseTo(0.126928, 4);
    expect(v.total.arraySync()).toBeCloseTo(0.525648 + 0.5 * 0.126928, 4);
  });

  it('throws a typed error naming the flag and the missing input', () => {
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, logQ: true })).toThrow(
      "loss flag 'logQ' is on but the batch has no 'candidateQ'",
    );
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, maskAccidentalHits: true })).toThrow(
      "loss flag 'maskAccidentalHits' is on but the batch has no 'positiveIds'",
    );
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, userSslWeight: 1 })).toThrow(
      "loss flag 'userSslWeight' is on but the batch has no 'userViews'",
    );
  });

  it('RINCE on the logQ-corrected, masked logits', () => {
    // The logits of the test above: row 0 [2 + ln2, ln2, masked], row 1 [ln2, 2 + ln2, 1.6 + ln4]; q 1, λ 0.025:
    // ℓ0 = 0.025·(2e² + 2) − 2e² = 0.419453 − 14.778112 = −14.358659
    // ℓ1 = 0.025·(2 + 2e² + 4e^1.6) − 2e² = 0.914756 − 14.778112 = −13.863356 ; mean −14.111008
    const v = computeLoss(kernels.matMuls, loggedMaskedBatch(), { ...BASE, logQ: true, maskAccidentalHits: true, rinceQ: 1, rinceLambda: 0.025 });
    expect(v.main.arraySync()).toBeCloseTo(-14.111008, 3);
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, kind: 'bce', rinceQ: 0.5 })).toThrow(
      'RINCE (rinceQ 0.5) replaces the softmax loss: it needs kind infonce, not bce',
    );
  });

  it('weighs the rows by their user views’ agreement, and with truncation divides by the kept rows', () => {
    // view A = the users (cosines with the positives 1, 1); view B = [[1, 0], [1, 0]] (cosines 1, 0)
    // → a = [1, 0]; k = 2: σ(2) = 0.880797, σ(0) = 0.5 → w = 2·[0.880797, 0.5] / 1.380797 = [1.275781, 0.724219]
    // main = (1.275781 · 0.460373 + 0.724219 · 0.590924) / 2 = 0.507647
    const userViews = disagreeingViews();
    const v = computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), userViews, step: 0 }, { ...BASE, agreementSharpness: 2 });
    expect(v.main.arraySync()).toBeCloseTo(0.507647, 4);
    expect(v.userSsl).toBeNull();
    // + truncation at rate ½ from the first step: row 1 (the larger loss) dropped → 1.275781 · 0.460373 / 1
    const t = computeLoss(
      kernels.matMuls,
      { users: users(), candidates: candidates(), userViews, step: 0 },
      { ...BASE, agreementSharpness: 2, truncationMaxRate: 0.5 },
    );
    expect(t.main.arraySync()).toBeCloseTo(0.587335, 4);
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, agreementSharpness: 1 })).toThrow(
      "loss flag 'agreementSharpness' is on but the batch has no 'userViews'",
    );
  });

  it("reweights the rows by their positive's probability^β (R-CE), only on plain InfoNCE", () => {
    // per-row losses [0.460373, 0.590924] (the first test); β 1: exp(−[0, 0.130551]) = [1, 0.877610]
    // → w = 2·[1, 0.877610] / 1.877610 = [1.065183, 0.934817]; main = (1.065183 · 0.460373 + 0.934817 · 0.590924) / 2 = 0.521394
    const v = computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, reweightBeta: 1 });
    expect(v.main.arraySync()).toBeCloseTo(0.521394, 4);
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, kind: 'bce', reweightBeta: 1 })).toThrow(
      'the reweighted loss (reweightBeta 1) weighs rows by their softmax probability: it needs plain InfoNCE, not bce',
    );
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, rinceQ: 0.1, reweightBeta: 1 })).toThrow(
      'it needs plain InfoNCE, not RINCE',
    );
  });

  it('multiplies the strength weights in as a third factor', () => {
    // per-row losses [0.460373, 0.590924] (the first test), strength weights [1.5, 0.5]:
    // main = (1.5 · 0.460373 + 0.5 · 0.590924) / 2 = 0.493011
    const positiveWeights = Float32Array.from([1.5, 0.5]);
    const v = computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), positiveWeights, step: 0 }, BASE);
    expect(v.main.arraySync()).toBeCloseTo(0.493011, 4);
    // × the agreement weights [1.275781, 0.724219] of the test above: (1.275781 · 1.5 · 0.460373 + 0.724219 · 0.5 · 0.590924) / 2 = 0.547491
    const userViews = disagreeingViews();
    const a = computeLoss(
      kernels.matMuls,
      { users: users(), candidates: candidates(), userViews, positiveWeights, step: 0 },
      { ...BASE, agreementSharpness: 2 },
    );
    expect(a.main.arraySync()).toBeCloseTo(0.547491, 4);
    // and truncation at ½ drops row 1: 1.275781 · 1.5 · 0.460373 / 1 = 0.881003
    const t = computeLoss(
      kernels.matMuls,
      { users: users(), candidates: candidates(), userViews, positiveWeights, step: 0 },
      { ...BASE, agreementSharpness: 2, truncationMaxRate: 0.5 },
    );
    expect(t.main.arraySync()).toBeCloseTo(0.881003, 4);
    expect(() => computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), positiveWeights: Float32Array.from([1]), step: 0 }, BASE)).toThrow(
      '1 positive weights for 2 rows',
    );
  });

  it('BCE: softplus(−positive) + mean softplus(global negatives)', () => {
    // logits [[2, 0, 1.2], [0, 2, 1.6]], negatives = column 2:
    // ℓ0 = softplus(−2) + softplus(1.2) = 0.126928 + 1.463282 = 1.590210 ; ℓ1 = 0.126928 + softplus(1.6) = 1.910829
    const v = computeLoss(kernels.matMuls, { users: users(), candidates: candidates(), step: 0 }, { ...BASE, kind: 'bce' });
    expect(v.main.arraySync()).toBeCloseTo((1.59021 + 1.910829) / 2, 4);
  });
});
