import * as tf from '@tensorflow/tfjs-core';
import type { MatMuls } from '../../kernels/mat-muls.js';
import { MIN_POSITIVE_PROBABILITY } from './softmax-cross-entropy.js';

/** Per row: the factor r on P off the label, the label's extra gradient term, and the loss. */
function labelCorrection(atLabel: ArrayLike<number>, labelShift: Float32Array): { rowScale: Float32Array; labelTerm: Float32Array; loss: Float32Array } {
  const b = labelShift.length;
  const rowScale = new Float32Array(b);
  const labelTerm = new Float32Array(b);
  const loss = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    const grow = Math.exp(labelShift[i]);
    const r = 1 / (1 - atLabel[i] + atLabel[i] * grow);
    rowScale[i] = r;
    labelTerm[i] = r * atLabel[i] * (grow - 1) - 1;
    loss[i] = -Math.log(Math.max(atLabel[i] * grow * r, MIN_POSITIVE_PROBABILITY));
  }
  return { rowScale, labelTerm, loss };
}

/**
 * The label terms of the gradient, done in JS: dU's row i gets label[i]·C[lᵢ] (a row gather) and
 * dC's row lᵢ gets label[i]·uᵢ (a scatter-add; wasm has no UnsortedSegmentSum, and its GatherV2 was slower than this loop
 * on these rows: `bench:train-ab`).
 */
function labelRows(
  label: Float32Array,
  labels: Int32Array,
  u: ArrayLike<number>,
  cand: ArrayLike<number>,
  c: number,
  d: number,
): { gathered: Float32Array; sparse: Float32Array } {
  const b = label.length;
  const gathered = new Float32Array(b * d);
  const sparse = new Float32Array(c * d);
  for (let i = 0; i < b; i++) {
    const at = labels[i] * d;
    for (let k = 0; k < d; k++) {
      gathered[i * d + k] = label[i] * cand[at + k];
      sparse[at + k] += label[i] * u[i * d + k];
    }
  }
  return { gathered, sparse };
}

/** Elementwise products x ⊙ y of two rows of length n. */
function times(x: Float32Array, y: ArrayLike<number>): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * y[i];
  return out;
}

/**
 * Per-row InfoNCE over a compacted candidate list, fused with its score matrix:
 * zᵢⱼ = uᵢ·cⱼ + biasⱼ for every column, plus shiftᵢ on row i's label column lᵢ, and
 * ℓᵢ = log Σⱼ exp(zᵢⱼ) − zᵢₗᵢ. Shapes: queries [B, d], candidates [C, d] → [B].
 *
 * Why fused: the [B, C] logit bias of `compactCandidates` (column multiplicity and logQ, with the
 * row's own label entry changed by accidental-hit masking) differs from a row vector only on the
 * labels. So the softmax P runs on the unshifted z, a one-entry change per row is done in closed
 * form (P′ = rᵢ·P off the label, with rᵢ = 1 / (1 − Pᵢₗ + Pᵢₗ·e^shiftᵢ)), and the gradient
 * ∂ℓᵢ/∂zᵢⱼ = rᵢPᵢⱼ + cᵢ·1[j = lᵢ] with cᵢ = rᵢPᵢₗ(e^shiftᵢ − 1) − 1 is applied to the small factors:
 * dU = diag(dy·r)·P·C + diag(dy·c)·C[l], dC = Pᵀ·(U ⊙ dy·r) + Σᵢ (dy·c)ᵢ uᵢ on row lᵢ. Neither the
 * [B, C] bias nor the one-hot target is built in JS, uploaded or sent to a gradient worker, which
 * lowers the peak memory of `bench:train` with gradient workers and speeds up training on large
 * catalogues, where C is widest (`bench:train-ab -- --data synthetic`).
 */
export function compactInfoNce(
  matMuls: MatMuls,
  queries: tf.Tensor2D,
  candidates: tf.Tensor2D,
  columnBias: Float32Array,
  labels: Int32Array,
  labelShift: Float32Array,
): tf.Tensor1D {
  const [b, d] = queries.shape;
  const c = candidates.shape[0];
  const { matMulOf } = matMuls;
  // The loops live in module-level functions, not in these closures: they are created afresh for
  // every step, and V8 optimises a fresh closure's loops late or never (every double boxed).
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [u, cand, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const p = tf.softmax(tf.add(matMulOf(u, cand, false, true), tf.tensor2d(columnBias, [1, c])) as tf.Tensor2D);
    const flat = new Int32Array(b);
    for (let i = 0; i < b; i++) flat[i] = i * c + labels[i];
    const atLabel = tf.gather(tf.reshape(p, [b * c]), tf.tensor1d(flat, 'int32')).dataSync();
    const { rowScale, labelTerm, loss } = labelCorrection(atLabel, labelShift);
    save([u, cand, p]);
    return {
      value: tf.tensor1d(loss),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [su, sc, sp] = saved as tf.Tensor2D[];
        const dyv = dy.dataSync();
        const scale = times(rowScale, dyv);
        const { gathered, sparse } = labelRows(times(labelTerm, dyv), labels, su.dataSync(), sc.dataSync(), c, d);
        const dU = tf.add(tf.mul(tf.matMul(sp, sc), tf.tensor2d(scale, [b, 1])), tf.tensor2d(gathered, [b, d]));
        const dC = tf.add(matMulOf(sp, tf.mul(su, tf.tensor2d(scale, [b, 1])), true, false), tf.tensor2d(sparse, [c, d]));
        return [dU, dC];
      },
    };
  }) as unknown as (q: tf.Tensor2D, cand: tf.Tensor2D) => tf.Tensor1D;
  return f(queries, candidates);
}
