import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/kernels/select-backend.js';
import { accidentalHitMask, maskAccidentalHits } from '../../../src/model/losses/accidental-hits.js';
import { binaryCrossEntropy } from '../../../src/model/losses/binary-cross-entropy.js';
import { applyLogQCorrection } from '../../../src/model/losses/logq-correction.js';
import { MASK_VALUE } from '../../../src/model/losses/mask-value.js';
import { agreementWeights } from '../../../src/model/losses/agreement-weights.js';
import { scaledToMeanOne } from '../../../src/model/losses/mean-one.js';
import { reweightedLossWeights } from '../../../src/model/losses/reweighted-loss.js';
import { robustInfoNce } from '../../../src/model/losses/robust-info-nce.js';
import { diagonalSoftmaxCrossEntropy } from '../../../src/model/losses/softmax-cross-entropy.js';
import { truncatedLossWeights } from '../../../src/model/losses/truncated-loss.js';
import { viewInfoNce } from '../../../src/model/losses/view-info-nce.js';
import { createRng } from '../../../src/common/rng.js';
import { numericGrad } from '../numeric-grad.js';

const kernels = await selectBackend('cpu');

const L = [
  [1, 2, 3],
  [0, -1, 1],
];

function rows(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

describe('applyLogQCorrection', () => {
  it('subtracts log q per column, q clipped to [1e-6, 1]', () => {
    // q = [0.5, 1e-9 → 1e-6, 2 → 1]: log q = [-0.6931, -13.8155, 0]
    // row 0: [1 + 0.6931, 2 + 13.8155, 3] ; row 1: [0.6931, -1 + 13.8155, 1]
    const out = rows(applyLogQCorrection(tf.tensor2d(L), tf.tensor1d([0.5, 1e-9, 2])));
    const expected = [
      [1.693147, 15.815511, 3],
      [0.693147, 12.815511, 1],
    ];
    out.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 4)));
  });
});

describe('accidentalHitMask', () => {
  it('masks exactly the other columns holding the row positive', () => {
    // positives [7, 9]; candidates [7, 9, 7, 5]: row 0 (item 7) hits column 2; row 1 (item 9) none.
    const mask = accidentalHitMask(Int32Array.from([7, 9]), Int32Array.from([7, 9, 7, 5]));
    expect(Array.from(mask)).toEqual([0, 0, MASK_VALUE, 0, 0, 0, 0, 0].map((v) => Math.fround(v)));
  });

  it('agrees with a naive double loop over random ids (fixed seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = createRng(seed);
      const b = 6;
      const positives = Int32Array.from({ length: b }, () => rng.int(5));
      const candidates = Int32Array.from({ length: b + 4 }, (_, j) => (j < b ? positives[j] : rng.int(5)));
      const mask = accidentalHitMask(positives, candidates);
      for (let i = 0; i < b; i++)
        for (let j = 0; j < candidates.length; j++)
          expect(mask[i * candidates.length + j]).toBe(j !== i && candidates[j] === positives[i] ? Math.fround(MASK_VALUE) : 0);
    }
  });

  it('maskAccidentalHits changes only the masked entries, and softmax stays finite', () => {
    const logits = tf.tensor2d(L);
    const mask = accidentalHitMask(Int32Array.from([4, 4]), Int32Array.from([4, 4, 1]));
    const out = rows(maskAccidentalHits(logits, mask));
    // row 0: column 1 is item 4 again → masked; row 1: column 0 → masked.
    expect(out[0][0]).toBe(1);
    expect(out[0][2]).toBe(3);
    expect(out[1][1]).toBe(-1);
    expect(out[1][2]).toBe(1);
    expect(out[0][1]).toBeLessThan(-1e35);
    expect(out[1][0]).toBeLessThan(-1e35);
    const loss = diagonalSoftmaxCrossEntropy(maskAccidentalHits(logits, mask)).arraySync();
    // row 0: log(e^1 + e^3) − 1 = 2.126928; row 1: log(e^-1 + e^1) + 1 = 2.126928
    expect(loss[0]).toBeCloseTo(2.126928, 4);
    expect(loss[1]).toBeCloseTo(2.126928, 4);
  });
});

describe('diagonalSoftmaxCrossEntropy', () => {
  const ce = (x: number[][]): number => x.reduce((s, r, i) => s + Math.log(r.reduce((z, v) => z + Math.exp(v), 0)) - r[i], 0);

  it('equals the hand-computed value', () => {
    // row 0: log(e + e² + e³) − 1 = 3.407606 − 1 = 2.407606
    // row 1: log(1 + e⁻¹ + e) − (−1) = 1.407606 + 1 = 2.407606
    const loss = diagonalSoftmaxCrossEntropy(tf.tensor2d(L)).arraySync();
    expect(loss[0]).toBeCloseTo(2.407606, 5);
    expect(loss[1]).toBeCloseTo(2.407606, 5);
  });

  it('has the numeric gradient and the stock log-softmax gradient', () => {
    const x = tf.tensor2d(L);
    const fused = rows(tf.grad((t: tf.Tensor) => tf.sum(diagonalSoftmaxCrossEntropy(t as tf.Tensor2D)))(x));
    const numeric = numericGrad(ce, L);
    fused.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(numeric[i][j], 3)));
    // softmax − onehot, hand check of one entry: row 0, col 0: e/(e+e²+e³) − 1 = 0.090031 − 1
    expect(fused[0][0]).toBeCloseTo(0.090031 - 1, 4);
  });
});

describe('binaryCrossEntropy', () => {
  const sp = (v: number): number => Math.log1p(Math.exp(v));
  const bce = (x: number[][]): number => x.reduce((s, r, i) => s + sp(-r[i]) + sp(r[2]), 0);

  it('equals the hand-computed value and its numeric gradient', () => {
    // negatives start at column 2. row 0: softplus(−1) + softplus(3) = 0.313262 + 3.048587 = 3.361849
    // row 1: softplus(1) + softplus(1) = 2 · 1.313262 = 2.626523
    const loss = binaryCrossEntropy(tf.tensor2d(L), 2).arraySync();
    expect(loss[0]).toBeCloseTo(3.361849, 4);
    expect(loss[1]).toBeCloseTo(2.626523, 4);
    const g = rows(tf.grad((t: tf.Tensor) => tf.sum(binaryCrossEntropy(t as tf.Tensor2D, 2)))(tf.tensor2d(L)));
    const numeric = numericGrad(bce, L);
    g.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(numeric[i][j], 3)));
  });
});

describe('viewInfoNce', () => {
  it('equals the hand-computed symmetric value', () => {
    // a = [[1,0],[0,1]], b = [[0.6,0.8],[0,1]], τ = 0.5 → S = a·bᵀ/τ = [[1.2, 0], [1.6, 2]]
    // rows:    ℓ0 = log(e^1.2 + 1) − 1.2 = 0.263282 ; ℓ1 = log(e^1.6 + e²) − 2 = 0.513015
    // columns: ℓ0 = log(e^1.2 + e^1.6) − 1.2 = 0.913015 ; ℓ1 = log(1 + e²) − 2 = 0.126928
    // ½ (mean rows + mean cols) = ½ (0.388149 + 0.519972) = 0.454060
    const v = viewInfoNce(
      kernels.matMuls,
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [0.6, 0.8],
        [0, 1],
      ]),
      0.5,
    ).arraySync();
    expect(v).toBeCloseTo(0.45406, 4);
  });
});

describe('truncatedLossWeights', () => {
  it('drops the highest-loss fraction, ramping to the maximum', () => {
    const losses = Float32Array.from([0.1, 5, 0.3, 2, 0.2, 9, 0.4, 0.5, 0.6, 0.7]);
    // step 0: rate 0 → nothing dropped
    expect(Array.from(truncatedLossWeights(losses, 0, 0.2, 100))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // step 50: rate 0.1 → 1 dropped: the 9
    expect(Array.from(truncatedLossWeights(losses, 50, 0.2, 100))).toEqual([1, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
    // step 500: rate 0.2 (capped) → the 9 and the 5
    expect(Array.from(truncatedLossWeights(losses, 500, 0.2, 100))).toEqual([1, 0, 1, 1, 1, 0, 1, 1, 1, 1]);
  });
});

describe('scaledToMeanOne', () => {
  it('scales the weights so that they average 1', () => {
    // [1, 3] → sum 4, × 2 / 4 → [0.5, 1.5]
    expect(Array.from(scaledToMeanOne(Float64Array.from([1, 3])))).toEqual([0.5, 1.5]);
  });
});

describe('reweightedLossWeights', () => {
  it("weighs each row by its positive's probability^β = exp(−β·loss), normalised to mean 1", () => {
    // losses [1, 2, 4], β 0.5: exp(−0.5·[0, 1, 3]) = [1, 0.606531, 0.223130], sum 1.829661 → × 3 / sum
    const w = reweightedLossWeights([1, 2, 4], 0.5);
    expect(w[0]).toBeCloseTo(1.639648, 5);
    expect(w[1]).toBeCloseTo(0.994497, 5);
    expect(w[2]).toBeCloseTo(0.365855, 5);
    // the same losses shifted by 10 (a row's level): the same weights
    Array.from(reweightedLossWeights([11, 12, 14], 0.5)).forEach((x, i) => expect(x).toBeCloseTo(w[i], 5));
    // far apart losses do not underflow: the easiest row takes the whole batch
    expect(Array.from(reweightedLossWeights([0, 2000], 1))).toEqual([2, 0]);
    expect(Array.from(reweightedLossWeights([0.3, 7], 0))).toEqual([1, 1]);
    expect(() => reweightedLossWeights([1], -0.1)).toThrow(RangeError);
  });
});

describe('robustInfoNce', () => {
  const diagonal = Int32Array.from([0, 1]);
  const rince = (x: number[][], q: number, lambda: number, labels = [0, 1]): number =>
    x.reduce((s, r, i) => s + ((lambda * r.reduce((z, v) => z + Math.exp(v), 0)) ** q - Math.exp(q * r[labels[i]])) / q, 0);

  it('equals the hand-computed value', () => {
    // q 0.5, λ 0.01. row 0: Z = e + e² + e³ = 30.192875, (λZ)^½ = 0.549480, e^(½·1) = 1.648721
    //   ℓ0 = (0.549480 − 1.648721) / 0.5 = −2.198482
    // row 1: Z = 1 + e⁻¹ + e = 4.086161, (λZ)^½ = 0.202143, e^(½·(−1)) = 0.606531 → ℓ1 = −0.808776
    const loss = robustInfoNce(tf.tensor2d(L), diagonal, 0.5, 0.01).arraySync();
    expect(loss[0]).toBeCloseTo(-2.198482, 4);
    expect(loss[1]).toBeCloseTo(-0.808776, 4);
    // q 1, λ 0.025: ℓ0 = 0.025·30.192875 − e = −1.963460 ; ℓ1 = 0.025·4.086161 − e⁻¹ = −0.265725
    const linear = robustInfoNce(tf.tensor2d(L), diagonal, 1, 0.025).arraySync();
    expect(linear[0]).toBeCloseTo(-1.96346, 4);
    expect(linear[1]).toBeCloseTo(-0.265725, 4);
  });

  it('adds positiveShift to the numerator positive only', () => {
    // row 0 with shift −1: the numerator sees s⁺ = 0 → e⁰ = 1; Z unchanged → ℓ0 = (0.549480 − 1) / 0.5 = −0.901039
    const loss = robustInfoNce(tf.tensor2d(L), diagonal, 0.5, 0.01, Float32Array.from([-1, 0])).arraySync();
    expect(loss[0]).toBeCloseTo(-0.901039, 4);
    expect(loss[1]).toBeCloseTo(-0.808776, 4);
  });

  it('has the numeric gradient, with labels off the diagonal too', () => {
    for (const [q, lambda, labels] of [
      [0.5, 0.01, [0, 1]],
      [1, 0.025, [2, 0]],
      [0.1, 0.02, [1, 2]],
    ] as const) {
      const g = rows(tf.grad((t: tf.Tensor) => tf.sum(robustInfoNce(t as tf.Tensor2D, Int32Array.from(labels), q, lambda)))(tf.tensor2d(L)));
      const numeric = numericGrad((x) => rince(x, q, lambda, [...labels]), L);
      g.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(numeric[i][j], 3)));
    }
    // hand check, q 1, λ 0.025, row 0, col 0: λZ·softmax₀ − e¹ = 0.025·e − e = −2.650325
    const g = rows(tf.grad((t: tf.Tensor) => tf.sum(robustInfoNce(t as tf.Tensor2D, diagonal, 1, 0.025)))(tf.tensor2d(L)));
    expect(g[0][0]).toBeCloseTo(-2.650325, 4);
  });

  it("with relative, reads λ as a share of the batch's geometric-mean positive probability and divides by exp(q·mean s⁺)", () => {
    // labels [2, 1], q 1, λ 1: log Z = [3.407606, 1.407606]; s⁺ = [3, −1] → mean log p = (−0.407606 − 2.407606) / 2 = −1.407606,
    // mean s⁺ = 1. Push a = exp(log λ + mean log p + log Z − mean s⁺) = [e¹, e⁻¹]; pull exp(s⁺ − mean s⁺) = [e², e⁻²]
    // ℓ = a − pull = [2.718282 − 7.389056, 0.367879 − 0.135335] = [−4.670774, 0.232544]
    const labels = Int32Array.from([2, 1]);
    const loss = robustInfoNce(tf.tensor2d(L), labels, 1, 1, undefined, true).arraySync();
    expect(loss[0]).toBeCloseTo(-4.670774, 4);
    expect(loss[1]).toBeCloseTo(0.232544, 4);
    // every logit + 5: the same losses (the absolute version would scale them by e⁵)
    const shifted = robustInfoNce(tf.tensor2d(L.map((r) => r.map((v) => v + 5))), labels, 1, 1, undefined, true).arraySync();
    shifted.forEach((v, i) => expect(v).toBeCloseTo(loss[i], 4));
    // the batch statistics are constants of the gradient: row 0 = a₀·softmax(row 0) − e²·1[j = 2]
    //   softmax(row 0) = [0.090031, 0.244728, 0.665241] → [0.244728, 0.665241, 1.808342 − 7.389056 = −5.580744]
    const g = rows(tf.grad((t: tf.Tensor) => tf.sum(robustInfoNce(t as tf.Tensor2D, labels, 1, 1, undefined, true)))(tf.tensor2d(L)));
    [0.244728, 0.665241, -5.580744].forEach((v, j) => expect(g[0][j]).toBeCloseTo(v, 4));
  });

  it('tends to InfoNCE + log λ as q → 0', () => {
    // InfoNCE of L: 2.407606 per row (see diagonalSoftmaxCrossEntropy); log 0.01 = −4.605170
    const loss = robustInfoNce(tf.tensor2d(L), diagonal, 1e-4, 0.01).arraySync();
    expect(loss[0]).toBeCloseTo(2.407606 - 4.60517, 2);
    expect(loss[1]).toBeCloseTo(2.407606 - 4.60517, 2);
  });

  it('ignores masked logits and rejects q outside (0, 1]', () => {
    const masked = robustInfoNce(tf.tensor2d([[1, 2, MASK_VALUE]]), Int32Array.from([0]), 1, 0.025).arraySync();
    // Z = e + e² = 10.107338 → ℓ = 0.025·10.107338 − e = −2.465598
    expect(masked[0]).toBeCloseTo(-2.465598, 4);
    expect(() => robustInfoNce(tf.tensor2d(L), diagonal, 0, 0.01)).toThrow(RangeError);
    expect(() => robustInfoNce(tf.tensor2d(L), diagonal, 1.5, 0.01)).toThrow(RangeError);
  });
});

describe('agreementWeights', () => {
  it('weighs each positive by σ(k · the weaker view cosine), normalised to mean 1', () => {
    // d = 2, positives v0 = v1 = v2 = [1, 0].
    // row 0: views [1, 0] and [1, 0] → cosines 1, 1 → a = 1
    // row 1: views [1, 0] and [0, 3] → cosines 1, 0 → a = 0 (the views disagree)
    // row 2: views [−1, 0] and [0, 0] → cosines −1, 0 (zero vector) → a = −1
    // k = 2: σ(2) = 0.880797, σ(0) = 0.5, σ(−2) = 0.119203; sum 1.5 → × 3 / 1.5 = × 2
    const w = agreementWeights([1, 0, 1, 0, -1, 0], [1, 0, 0, 3, 0, 0], [1, 0, 1, 0, 1, 0], 2, 2);
    expect(w[0]).toBeCloseTo(1.761594, 5);
    expect(w[1]).toBeCloseTo(1, 5);
    expect(w[2]).toBeCloseTo(0.238406, 5);
    // k = 0: every row 1
    expect(Array.from(agreementWeights([1, 0, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1], 2, 0))).toEqual([1, 1]);
    expect(() => agreementWeights([1, 0], [1, 0], [1, 0, 1, 0], 2, 1)).toThrow(RangeError);
  });
});
