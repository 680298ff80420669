import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.js';
import { selectBackend } from '../../../src/kernels/select-backend.js';
import { compactInfoNce } from '../../../src/model/losses/compact-info-nce.js';
import { numericGrad } from '../numeric-grad.js';

const kernels = await selectBackend('cpu');

/** The definition in float64: zᵢⱼ = uᵢ·cⱼ + biasⱼ (+ shiftᵢ at the label), ℓᵢ = logsumexp zᵢ − zᵢₗ, summed with weights w. */
function reference(u: number[][], c: number[][], bias: number[], labels: number[], shift: number[], w: number[]): number {
  return u.reduce((total, ui, i) => {
    const z = c.map((cj, j) => ui.reduce((s, x, k) => s + x * cj[k], 0) + bias[j] + (j === labels[i] ? shift[i] : 0));
    return total + w[i] * (Math.log(z.reduce((s, x) => s + Math.exp(x), 0)) - z[labels[i]]);
  }, 0);
}

describe('compactInfoNce', () => {
  it('equals the hand-computed loss', () => {
    // U = [[1,0],[0,1]], C = [[1,0],[0,1],[1,1]], bias [0, log 2, 0], labels [0, 2], shift [−log 2, 0]
    // row 0: z = [1 − log 2, log 2, 1] → ℓ = log(e/2 + 2 + e) − (1 − log 2) = 1.4977
    // row 1: z = [0, 1 + log 2, 1]     → ℓ = log(1 + 2e + e) − 1            = 1.2143
    const loss = compactInfoNce(
      kernels.matMuls,
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      Float32Array.from([0, Math.log(2), 0]),
      Int32Array.from([0, 2]),
      Float32Array.from([-Math.log(2), 0]),
    ).dataSync();
    expect(loss[0]).toBeCloseTo(Math.log(Math.E / 2 + 2 + Math.E) - 1 + Math.log(2), 5);
    expect(loss[1]).toBeCloseTo(Math.log(1 + 3 * Math.E) - 1, 5);
    expect(loss[0]).toBeCloseTo(1.4977, 4);
    expect(loss[1]).toBeCloseTo(1.2143, 4);
  });

  it('has the gradient of its definition (central differences, uneven row weights, a repeated label)', () => {
    const rng = createRng(11);
    const [b, n, d] = [4, 5, 3];
    const rand = (rows: number) => Array.from({ length: rows }, () => Array.from({ length: d }, () => rng.normal()));
    const u = rand(b);
    const c = rand(n);
    const bias = Array.from({ length: n }, () => rng.normal());
    const labels = [0, 3, 3, 1];
    const shift = [-0.7, 0, -2.5, -0.1];
    const w = [0.5, 1, 2, 0.25];
    const f = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(
        tf.mul(
          compactInfoNce(kernels.matMuls, x as tf.Tensor2D, y as tf.Tensor2D, Float32Array.from(bias), Int32Array.from(labels), Float32Array.from(shift)),
          tf.tensor1d(w),
        ),
      );
    const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(u), tf.tensor2d(c)]);
    expect(value.dataSync()[0]).toBeCloseTo(reference(u, c, bias, labels, shift, w), 4);
    const du = numericGrad((m) => reference(m, c, bias, labels, shift, w), u, 1e-5);
    const dc = numericGrad((m) => reference(u, m, bias, labels, shift, w), c, 1e-5);
    (grads[0].arraySync() as number[][]).forEach((row, i) => row.forEach((g, k) => expect(g).toBeCloseTo(du[i][k], 4)));
    (grads[1].arraySync() as number[][]).forEach((row, j) => row.forEach((g, k) => expect(g).toBeCloseTo(dc[j][k], 4)));
  });
});
